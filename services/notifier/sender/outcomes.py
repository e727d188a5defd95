"""Outcomes of a delivery attempt, with the email.sent / email.failed event they announce."""

import uuid

from services.notifier.domain.delivery import Outcome, Verdict
from services.notifier.domain.emails import EmailToSend
from services.notifier.metrics import EMAIL_RETRIES, EMAILS_FAILED, EMAILS_SENT
from shared.events import encode
from shared.events.schemas import EmailFailed, EmailSent

SOURCE = "/notifier"
# Event ids derived from the email id: an announcement written twice is one event to consumers.
_IDS = uuid.UUID("5f0c1d2e-8b9a-4c3d-9e8f-7a6b5c4d3e2f")


def sent(email: EmailToSend, *, topic: str) -> Outcome:
    """Accepted by the server: `email.sent` with the Message-ID."""
    EMAILS_SENT.labels(email.kind).inc()
    data = EmailSent(email_id=email.id, kind=email.kind, staff_id=email.staff_id,
                     scheduled_for=email.scheduled_for, message_id=email.message_id)
    event = encode("email.sent", data, source=SOURCE, subject=str(email.staff_id),
                   event_id=str(uuid.uuid5(_IDS, f"sent:{email.id}")))
    return Outcome(email.id, Verdict.SENT, announce=(topic, event))


def failed(email: EmailToSend, error: str, *, topic: str, tried: bool = True) -> Outcome:
    """Given up on: `email.failed` with the error and the attempts made, this one if `tried`."""
    EMAILS_FAILED.labels(email.kind).inc()
    data = EmailFailed(email_id=email.id, kind=email.kind, staff_id=email.staff_id,
                       error=error[:1000], attempts=email.attempts + int(tried))
    event = encode("email.failed", data, source=SOURCE, subject=str(email.staff_id),
                   event_id=str(uuid.uuid5(_IDS, f"failed:{email.id}")))
    return Outcome(email.id, Verdict.FAILED, error=error, tried=tried, announce=(topic, event))


def retry(email: EmailToSend, error: str, *, delay: float, tried: bool = True) -> Outcome:
    """To be tried again after `delay` seconds."""
    EMAIL_RETRIES.labels(email.kind).inc()
    return Outcome(email.id, Verdict.RETRY, error=error, retry_in=delay, tried=tried)
