"""A claimed email of the outbox (with its recipient) -> the message to hand to SMTP.

Everything comes from the email as written: the payload, its Message-ID and its creation
time (Date, unsubscribe token). Composing the same email twice gives the same message, so
a re-send after a crash is the same email.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from email.utils import format_datetime, parseaddr
from uuid import UUID

from jinja2 import Environment, PackageLoader, StrictUndefined

from shared.formatting import DEFAULT_LOCALE, format_day, format_money
from services.notifier.domain.emails import EmailToSend, Recipient
from services.notifier.emails.mime import (
    build_message,
    encode_words,
    fold_url_header,
    format_address,
)
from services.notifier.emails.wording import WORDINGS, Wording, wording_for
from services.notifier.settings import NotifierSettings
from shared.tokens import make_unsubscribe_token


@dataclass(frozen=True)
class OutgoingEmail:
    """A composed email: SMTP envelope and message bytes."""

    email_id: UUID
    message_id: str
    sender: str
    recipient: str
    data: bytes


@dataclass(frozen=True, slots=True)
class DigestLine:
    """One client of a digest as the templates show it. An object, not a dict: Jinja looks
    up `c.name` as an attribute first, and a dict answers that with an exception."""

    name: str
    missing_receipts: int
    ready_for_export: int
    balance: str
    url: str


class Composer:
    """Renders digests and reminders with the Jinja2 templates of this service."""

    def __init__(self, settings: NotifierSettings):
        self.settings = settings
        self.env = Environment(
            loader=PackageLoader("services.notifier", "templates"),
            autoescape=lambda name: bool(name) and name.endswith(".html.j2"),
            undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
            keep_trailing_newline=True, auto_reload=False)
        # Looked up once: a lookup per email would stat the template files every time.
        self.templates = {(kind, part): self.env.get_template(f"{kind}.{part}.j2")
                          for kind in ("digest", "reminder") for part in ("txt", "html")}
        name, self.envelope_from = parseaddr(settings.mail_from)
        self.from_header = format_address(name, self.envelope_from)

    def compose(self, email: EmailToSend) -> OutgoingEmail:
        """The message for a claimed email whose recipient is known."""
        recipient = email.recipient
        if email.kind == "digest":
            subject, extra, context = self._digest(email, recipient)
        else:
            subject, extra, context = self._reminder(email, recipient)
        context |= {"subject": subject, "lang": recipient.locale}
        headers = [
            ("From", self.from_header),
            ("To", format_address(recipient.name, recipient.email)),
            ("Subject", encode_words(subject)),
            ("Date", format_datetime(email.created_at)),
            ("Message-ID", email.message_id),
            ("Content-Language", recipient.locale),
            ("Auto-Submitted", "auto-generated"),
            *extra,
        ]
        data = build_message(
            headers, boundary=f"=_pp_{email.id.hex}",
            text=self.templates[email.kind, "txt"].render(context),
            html=self.templates[email.kind, "html"].render(context))
        return OutgoingEmail(email_id=email.id, message_id=email.message_id,
                             sender=self.envelope_from, recipient=recipient.email, data=data)

    def client_url(self, client_id: str) -> str:
        """The portal page of a client, where "Go to client" is offered."""
        return f"{self.settings.public_base_url}/clients/{client_id}"

    def _balance(self, figures: Mapping, locale: str | None, t: Wording) -> str:
        if figures.get("wallet_balance_minor") is None:
            return t.balance_unknown
        return format_money(figures["wallet_balance_minor"], figures["wallet_currency"], locale)

    def _digest(self, email: EmailToSend, recipient: Recipient) -> tuple[str, list, dict]:
        locale, t = recipient.locale, wording_for(recipient.locale)
        clients = email.payload["clients"]
        frequencies = {c["frequency"] for c in clients}
        outstanding = sum(1 for c in clients if c["missing_receipts"] or c["ready_for_export"])
        subject = t.digest_subject(frequencies.pop() if len(frequencies) == 1 else None,
                                   outstanding, len(clients))
        token = make_unsubscribe_token(email.staff_id, [UUID(c["client_id"]) for c in clients],
                                       self.settings.unsubscribe_keys, now=email.created_at)
        lang = locale if locale in WORDINGS else DEFAULT_LOCALE
        # The portal's page cannot look the recipient up, so the link names the language
        # (first: the token stays the URL's last parameter).
        unsubscribe_url = (f"{self.settings.public_base_url}/unsubscribe"
                           f"?lang={lang}&token={token}")
        context = {
            "t": t, "greeting": t.greeting.format(name=recipient.name),
            "intro": t.digest_intro.format(day=format_day(
                email.scheduled_for, tz=self.settings.digest_timezone, locale=locale)),
            "clients": [DigestLine(c["name"], c["missing_receipts"], c["ready_for_export"],
                                   self._balance(c, locale, t), self.client_url(c["client_id"]))
                        for c in clients],
            "unsubscribe_url": unsubscribe_url,
        }
        extra = [("List-Unsubscribe", fold_url_header(unsubscribe_url)),
                 ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")]
        return subject, extra, context

    def _reminder(self, email: EmailToSend, recipient: Recipient) -> tuple[str, list, dict]:
        locale, t, p = recipient.locale, wording_for(recipient.locale), email.payload
        admin, client = email.admin_name, p["client_name"] or ""
        figures = {"missing_receipts": (t.missing_receipts, str(p["missing_receipts"])),
                   "ready_for_export": (t.ready_for_export, str(p["ready_for_export"])),
                   "wallet_balance": (t.wallet_balance, self._balance(p, locale, t))}
        context = {
            "t": t, "greeting": t.greeting.format(name=recipient.name),
            "intro": t.reminder_intro.format(admin=admin, client=client),
            "tasks": [figures[task] for task in p["tasks"]],
            "comment": p["comment"], "comment_title": t.reminder_comment.format(admin=admin),
            "url": self.client_url(p["client_id"]),
            "footer": t.reminder_footer.format(client=client),
        }
        return t.reminder_subject.format(admin=admin, client=client), [], context
