"""What to do after an SMTP attempt: sent, try again later, or give up."""

import random
from dataclasses import dataclass
from enum import Enum
from uuid import UUID

from services.notifier.domain.emails import EmailToSend
from shared.events import CloudEvent


class Verdict(Enum):
    SENT = "sent"
    RETRY = "retry"
    FAILED = "failed"


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with jitter, and how many attempts an email gets in all."""

    max_attempts: int = 5
    base_seconds: float = 30.0
    max_seconds: float = 3600.0

    def delay(self, attempts: int) -> float:
        """Seconds to wait after the `attempts`-th failed attempt (1-based)."""
        raw = min(self.base_seconds * 2 ** max(attempts - 1, 0), self.max_seconds)
        # Jitter spreads a burst of 4xx replies so that the retries do not come as one burst.
        return raw * random.uniform(0.8, 1.2)

    def after_temporary_failure(self, attempts: int) -> Verdict:
        """A 4xx reply, a timeout or a dropped connection: retry until attempts run out."""
        return Verdict.RETRY if attempts < self.max_attempts else Verdict.FAILED


def is_permanent(code: int | None) -> bool:
    """An SMTP reply code that says trying again will not help (5xx)."""
    return code is not None and 500 <= code < 600


def recipient_problem(email: EmailToSend) -> tuple[str, bool] | None:
    """Why a claimed email may not go to its recipient now: (reason, permanent), or None.

    A recipient the notifier has not heard of yet may still arrive (staff events travel on
    their own partition), so that is worth a retry; a deactivated one or one of another firm
    than the email's clients never is.
    """
    recipient = email.recipient
    if recipient is None:
        return "recipient unknown to the notifier", False
    if not recipient.active:
        return "recipient is no longer active", True
    if str(recipient.firm_id) != email.payload["firm_id"]:
        return "recipient belongs to another firm", True
    if email.kind == "reminder" and email.admin_name is None:
        return "reminding admin unknown to the notifier", False
    return None


@dataclass(frozen=True)
class Outcome:
    """What became of one claimed email; `announce` is its email.sent/email.failed event."""

    email_id: UUID
    verdict: Verdict
    error: str | None = None
    retry_in: float = 0.0
    # An attempt was made (a send tried, or the recipient found undeliverable): it counts.
    # Not when no server was reachable or the email could not be composed.
    tried: bool = True
    announce: tuple[str, CloudEvent] | None = None
