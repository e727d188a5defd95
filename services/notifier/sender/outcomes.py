"""Outcomes of a delivery attempt, with the email.sent / email.failed event they announce."""

import uuid
from collections.abc import Mapping

from services.notifier.domain.delivery import Outcome, Verdict
from services.notifier.metrics import EMAIL_RETRIES, EMAILS_FAILED, EMAILS_SENT
from shared.events import encode
from shared.events.schemas import EmailFailed, EmailSent

SOURCE = "/notifier"
# Event ids derived from the email id: an announcement written twice is one event to consumers.
_IDS = uuid.UUID("5f0c1d2e-8b9a-4c3d-9e8f-7a6b5c4d3e2f")


def sent(row: Mapping, *, topic: str) -> Outcome:
    """Accepted by the server: `email.sent` with the Message-ID."""
    EMAILS_SENT.labels(row["kind"]).inc()
    data = EmailSent(email_id=row["id"], kind=row["kind"], staff_id=row["staff_id"],
                     scheduled_for=row["scheduled_for"], message_id=row["message_id"])
    event = encode("email.sent", data, source=SOURCE, subject=str(row["staff_id"]),
                   event_id=str(uuid.uuid5(_IDS, f"sent:{row['id']}")))
    return Outcome(row["id"], Verdict.SENT, announce=(topic, event))


def failed(row: Mapping, error: str, *, topic: str, tried: bool = True) -> Outcome:
    """Given up on: `email.failed` with the error and the attempts made, this one if `tried`."""
    EMAILS_FAILED.labels(row["kind"]).inc()
    data = EmailFailed(email_id=row["id"], kind=row["kind"], staff_id=row["staff_id"],
                       error=error[:1000], attempts=row["attempts"] + int(tried))
    event = encode("email.failed", data, source=SOURCE, subject=str(row["staff_id"]),
                   event_id=str(uuid.uuid5(_IDS, f"failed:{row['id']}")))
    return Outcome(row["id"], Verdict.FAILED, error=error, tried=tried, announce=(topic, event))


def retry(row: Mapping, error: str, *, delay: float, tried: bool = True) -> Outcome:
    """To be tried again after `delay` seconds."""
    EMAIL_RETRIES.labels(row["kind"]).inc()
    return Outcome(row["id"], Verdict.RETRY, error=error, retry_in=delay, tried=tried)
