"""A staff member's email setting for one client, and when its first digest goes out."""

from dataclasses import dataclass
from datetime import datetime

from shared.digest_schedule import first_digest_at

DEFAULT_FREQUENCY = "weekly"


@dataclass(frozen=True, slots=True)
class Preference:
    email: bool
    frequency: str
    changed_at: datetime | None
    first_digest_at: datetime | None


OFF = Preference(email=False, frequency=DEFAULT_FREQUENCY, changed_at=None,
                 first_digest_at=None)


def changed_preference(previous: Preference, *, email: bool, frequency: str | None,
                       now: datetime, tz: str, hour: int) -> Preference:
    """The setting after a change at `now`.

    The first digest is the first Monday send time after email was turned on; a change
    that keeps email on (another frequency, say) keeps that date.
    """
    if not email:
        first = None
    elif previous.email and previous.first_digest_at is not None:
        first = previous.first_digest_at
    else:
        first = first_digest_at(now, tz=tz, hour=hour)
    return Preference(email=email, frequency=frequency or previous.frequency,
                      changed_at=now, first_digest_at=first)
