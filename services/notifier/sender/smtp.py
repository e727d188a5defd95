"""One reusable SMTP connection, and what an attempt over it came to."""

import asyncio
import contextlib
from dataclasses import dataclass

import aiosmtplib

from services.notifier.emails.compose import OutgoingEmail
from services.notifier.settings import NotifierSettings


class ServerUnreachable(ConnectionError):
    """No connection could be opened: nothing was sent, the message is not to blame."""


@dataclass(frozen=True)
class Attempt:
    """The result of handing one message to the server."""

    ok: bool
    code: int | None = None
    error: str | None = None
    unreachable: bool = False
    # The message itself can never be sent (an address SMTP cannot carry).
    permanent: bool = False


class SmtpConnection:
    """Connects on first use, stays open across messages, reconnects after a drop."""

    def __init__(self, settings: NotifierSettings):
        self.settings = settings
        self._smtp: aiosmtplib.SMTP | None = None

    async def _connected(self) -> aiosmtplib.SMTP:
        if self._smtp is not None and self._smtp.is_connected:
            return self._smtp
        s = self.settings
        credentials = bool(s.smtp_username or s.smtp_password)
        # aiosmtplib logs in over plain text when the server offers no STARTTLS (or when
        # start_tls is False): with credentials, STARTTLS is required unless TLS is implicit.
        smtp = aiosmtplib.SMTP(
            hostname=s.smtp_host, port=s.smtp_port, timeout=s.notifier_smtp_timeout_seconds,
            use_tls=s.smtp_tls, start_tls=(s.smtp_starttls or credentials) and not s.smtp_tls,
            local_hostname=s.mail_domain)
        try:
            await smtp.connect()
            if credentials:
                if smtp.get_transport_info("sslcontext") is None:
                    raise aiosmtplib.SMTPException("refusing to log in without TLS")
                await smtp.login(s.smtp_username, s.smtp_password)
        except (TimeoutError, aiosmtplib.SMTPException, OSError) as exc:
            smtp.close()
            where = f"{s.smtp_host}:{s.smtp_port}"
            raise ServerUnreachable(f"cannot connect to {where}: {exc}") from exc
        self._smtp = smtp
        return smtp

    async def send(self, email: OutgoingEmail) -> Attempt:
        """Send one message; never raises for what the server or the network does."""
        try:
            smtp = await self._connected()
            await smtp.sendmail(email.sender, [email.recipient], email.data)
        except ServerUnreachable as exc:
            return Attempt(ok=False, error=str(exc), unreachable=True)
        except ValueError as exc:
            return Attempt(ok=False, error=f"unsendable: {exc}", permanent=True)
        except aiosmtplib.SMTPRecipientsRefused as exc:
            refused = exc.recipients[0]
            return Attempt(ok=False, code=refused.code, error=f"{refused.code} {refused.message}")
        except aiosmtplib.SMTPResponseException as exc:
            return Attempt(ok=False, code=exc.code, error=f"{exc.code} {exc.message}")
        except (TimeoutError, aiosmtplib.SMTPException, OSError) as exc:
            # Timeout or dropped connection: the connection is in an unknown state.
            self.discard()
            return Attempt(ok=False, error=f"{type(exc).__name__}: {exc}")
        return Attempt(ok=True)

    def discard(self) -> None:
        """Drop the connection without a goodbye (it may be half-way through a transaction)."""
        if self._smtp is not None:
            with contextlib.suppress(Exception):
                self._smtp.close()
            self._smtp = None

    async def close(self) -> None:
        """Say goodbye to the server and close."""
        if self._smtp is not None and self._smtp.is_connected:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._smtp.quit(), timeout=5)
        self.discard()
