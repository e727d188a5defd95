"""What a tick means for digests, on top of the shared rules in shared.digest_schedule."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from shared.digest_schedule import FREQUENCIES, is_send_day


def tick_minute(now: datetime) -> datetime:
    """The wall-clock minute (UTC) a scheduler tick at `now` stands for."""
    return now.astimezone(UTC).replace(second=0, microsecond=0)


def due_frequencies(send_time: datetime, *, tz: str) -> list[str]:
    """The frequencies due at `send_time` by their day rule.

    The other half of `shared.digest_schedule.is_due` (first_at <= send time) is applied per
    setting in SQL, so one statement serves every staff member at once.
    """
    day = send_time.astimezone(ZoneInfo(tz)).date()
    return [f for f in FREQUENCIES if is_send_day(f, day)]
