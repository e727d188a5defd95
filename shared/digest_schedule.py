"""When digests go out: the rules of PRODUCT section 5, used by clients and notifier alike.

All send times are DIGEST_HOUR:00 local time in DIGEST_TIMEZONE (Europe/Copenhagen), so the
UTC instant moves with daylight saving time: 08:00 UTC in summer, 09:00 UTC in winter.
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

FREQUENCIES = ("daily", "weekly", "monthly")
MONDAY = 0


def send_time(day: date, *, tz: str, hour: int) -> datetime:
    """The aware instant of the send time on local date `day`."""
    return datetime.combine(day, time(hour), tzinfo=ZoneInfo(tz))


def is_send_day(frequency: str, day: date) -> bool:
    """Whether a digest of `frequency` goes out on local date `day`."""
    if frequency == "daily":
        return day.weekday() < 5
    if frequency == "weekly":
        return day.weekday() == MONDAY
    if frequency == "monthly":
        return day.weekday() == MONDAY and day.day <= 7
    raise ValueError(f"unknown frequency {frequency!r}")


def first_digest_at(turned_on_at: datetime, *, tz: str, hour: int) -> datetime:
    """The first Monday send time strictly after `turned_on_at`, whatever the frequency.

    "You start receiving notifications on Monday at 10 CET" (the seed article).
    """
    local = turned_on_at.astimezone(ZoneInfo(tz))
    day = local.date() + timedelta(days=(MONDAY - local.weekday()) % 7)
    candidate = send_time(day, tz=tz, hour=hour)
    if candidate <= turned_on_at:
        candidate = send_time(day + timedelta(days=7), tz=tz, hour=hour)
    return candidate


def latest_send_time(now: datetime, *, tz: str, hour: int) -> datetime | None:
    """The send time of `now`'s local day if it has passed, else None.

    A notifier that was down at 10:00 acts on the tick it sees later that day: the send time
    it owes is still that day's 10:00, and the (staff, send time) key keeps it to one email.
    """
    candidate = send_time(now.astimezone(ZoneInfo(tz)).date(), tz=tz, hour=hour)
    return candidate if candidate <= now else None


def is_due(frequency: str, at: datetime, *, first_at: datetime, tz: str) -> bool:
    """Whether a setting of `frequency`, first due at `first_at`, is due at send time `at`."""
    return at >= first_at and is_send_day(frequency, at.astimezone(ZoneInfo(tz)).date())
