"""An email of the outbox as the sender holds it: claimed, with its recipient as of the claim.

Built once from the claim's row (db/email_outbox.py); the recipient checks, the composer and
the outcomes read it from there.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal
from uuid import UUID

EmailKind = Literal["digest", "reminder"]


@dataclass(frozen=True, slots=True)
class Recipient:
    """The staff member an email goes to, as the notifier knows them when sending."""

    email: str
    name: str
    locale: str
    active: bool
    firm_id: UUID


@dataclass(frozen=True, slots=True)
class EmailToSend:
    """A claimed email; what it says (`payload`, `message_id`) was fixed when it was written."""

    id: UUID
    kind: EmailKind
    staff_id: UUID
    message_id: str
    # JSON written with the row: the firm, and the clients (digest) or the tasks (reminder).
    payload: dict[str, Any]
    created_at: datetime
    scheduled_for: datetime | None
    # None while the notifier has not heard of the staff member (their event may lag).
    recipient: Recipient | None
    # The reminding admin's name; None for digests, or while that admin is unknown.
    admin_name: str | None
    # Attempts made before this claim.
    attempts: int
    lease_until: datetime
