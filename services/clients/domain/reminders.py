"""Reminders from admins to the bookkeepers of a client (PRODUCT section 6)."""

import hashlib
import json
from collections.abc import Sequence
from uuid import UUID

TASKS = ("missing_receipts", "ready_for_export", "wallet_balance")
MAX_COMMENT = 1000


def normalised_tasks(tasks: Sequence[str]) -> list[str]:
    """The ticked tasks once each, in the product's order (so retries compare equal)."""
    return [t for t in TASKS if t in set(tasks)]


def fingerprint(client_id: UUID, tasks: Sequence[str], comment: str | None) -> str:
    """What a retry with the same Idempotency-Key must repeat exactly."""
    doc = json.dumps([str(client_id), normalised_tasks(tasks), comment or None])
    return hashlib.sha256(doc.encode()).hexdigest()


def status(resolved: bool) -> str:
    return "resolved" if resolved else "open"
