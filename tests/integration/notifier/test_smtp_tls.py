"""SMTP credentials travel only over TLS, against real aiosmtpd servers: one that offers
AUTH in clear text and no STARTTLS (never logged in to), one with STARTTLS, one with
implicit TLS (both logged in to, after the upgrade)."""

import ssl
import subprocess
import uuid
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from services.notifier.emails.compose import OutgoingEmail
from services.notifier.sender.smtp import SmtpConnection
from services.notifier.settings import NotifierSettings
from tests.integration.notifier.smtp_sink import RecordingHandler, free_port

pytestmark = pytest.mark.integration

USER, PASSWORD = "mailer", "correct horse battery staple"


class Authenticator:
    """Accepts USER/PASSWORD and remembers every login and whether it came over TLS."""

    def __init__(self):
        self.logins: list[tuple[bytes, bool]] = []

    def __call__(self, server, session, envelope, mechanism, auth_data):
        # session.ssl is set by STARTTLS; an implicit-TLS transport carries its ssl_object.
        tls = session.ssl is not None or server.transport.get_extra_info("ssl_object") is not None
        self.logins.append((auth_data.login, tls))
        return AuthResult(success=(auth_data.login, auth_data.password)
                          == (USER.encode(), PASSWORD.encode()))


@pytest.fixture(scope="module")
def certificate(tmp_path_factory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (trusted by the client through SSL_CERT_FILE)."""
    where = tmp_path_factory.mktemp("tls")
    cert, key = where / "cert.pem", where / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True)
    return cert, key


@pytest.fixture
def trust(certificate, monkeypatch):
    """The client's default TLS context (OpenSSL's default paths) trusts the test certificate."""
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))


def server_context(certificate) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*map(str, certificate))
    return context


def start(handler, authenticator, **tls) -> Controller:
    controller = Controller(handler, hostname="127.0.0.1", port=free_port(),
                            authenticator=authenticator, **tls)
    controller.start()
    return controller


def settings(port: int, **overrides) -> NotifierSettings:
    return NotifierSettings(smtp_host="127.0.0.1", smtp_port=port, smtp_username=USER,
                            smtp_password=PASSWORD, notifier_smtp_timeout_seconds=5,
                            **overrides)


def email() -> OutgoingEmail:
    recipient = f"{uuid.uuid4().hex[:8]}@example.com"
    return OutgoingEmail(email_id=uuid.uuid4(), message_id=f"<{uuid.uuid4()}@test>",
                         sender="no-reply@partner-portal.local", recipient=recipient,
                         data=b"Subject: hi\r\n\r\nhello\r\n")


@pytest.mark.parametrize("starttls", [False, True])
async def test_credentials_are_never_sent_to_a_server_that_does_not_upgrade(starttls):
    handler, auth = RecordingHandler(), Authenticator()
    # Offers AUTH over plain text, no STARTTLS: aiosmtplib alone would log in here.
    controller = start(handler, auth, auth_require_tls=False)
    connection = SmtpConnection(settings(controller.port, smtp_starttls=starttls))
    try:
        attempt = await connection.send(message := email())
    finally:
        await connection.close()
        controller.stop()
    assert attempt.unreachable and not attempt.ok, attempt
    assert auth.logins == [] and handler.to(message.recipient) == []


async def test_without_credentials_a_plain_relay_still_works():
    handler = RecordingHandler()
    controller = start(handler, None)
    connection = SmtpConnection(NotifierSettings(smtp_host="127.0.0.1", smtp_port=controller.port))
    try:
        attempt = await connection.send(message := email())
    finally:
        await connection.close()
        controller.stop()
    assert attempt.ok and len(handler.to(message.recipient)) == 1


@pytest.mark.parametrize("starttls", [False, True])
async def test_starttls_upgrades_before_logging_in(certificate, trust, starttls):
    """Credentials alone make the sender insist on STARTTLS, even with SMTP_STARTTLS off."""
    handler, auth = RecordingHandler(), Authenticator()
    controller = start(handler, auth, tls_context=server_context(certificate),
                       require_starttls=True)
    connection = SmtpConnection(settings(controller.port, smtp_starttls=starttls))
    try:
        attempt = await connection.send(message := email())
    finally:
        await connection.close()
        controller.stop()
    assert attempt.ok, attempt
    assert auth.logins == [(USER.encode(), True)]
    assert len(handler.to(message.recipient)) == 1


async def test_implicit_tls_logs_in_over_tls(certificate, trust):
    handler, auth = RecordingHandler(), Authenticator()
    # aiosmtpd counts only STARTTLS as TLS for its AUTH rule; the authenticator checks.
    controller = start(handler, auth, ssl_context=server_context(certificate),
                       auth_require_tls=False)
    connection = SmtpConnection(settings(controller.port, smtp_tls=True))
    try:
        attempt = await connection.send(message := email())
    finally:
        await connection.close()
        controller.stop()
    assert attempt.ok, attempt
    assert auth.logins == [(USER.encode(), True)]
    assert len(handler.to(message.recipient)) == 1
