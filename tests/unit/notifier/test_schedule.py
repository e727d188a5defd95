"""When digests go out: the shared rules as the notifier applies them to ticks."""

from datetime import UTC, datetime, timedelta

import pytest

from services.notifier.domain.schedule import due_frequencies, tick_minute
from shared.digest_schedule import FREQUENCIES, first_digest_at, is_due, latest_send_time

TZ, HOUR = "Europe/Copenhagen", 10


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize("send_time, due", [
    (utc(2026, 6, 1, 8), ["daily", "weekly", "monthly"]),  # first Monday of June
    (utc(2026, 6, 8, 8), ["daily", "weekly"]),             # second Monday
    (utc(2026, 6, 29, 8), ["daily", "weekly"]),            # last Monday, day 29
    (utc(2026, 6, 2, 8), ["daily"]),                       # Tuesday
    (utc(2026, 6, 5, 8), ["daily"]),                       # Friday
    (utc(2026, 6, 6, 8), []),                              # Saturday
    (utc(2026, 6, 7, 8), []),                              # Sunday
    (utc(2026, 2, 2, 9), ["daily", "weekly", "monthly"]),  # winter: 09:00 UTC
])
def test_due_frequencies_by_day(send_time, due):
    assert due_frequencies(send_time, tz=TZ) == due


def test_due_frequencies_agree_with_is_due_for_every_day_of_a_year():
    day = utc(2026, 1, 1, 9)
    for _ in range(366):
        at = latest_send_time(day.replace(hour=12), tz=TZ, hour=HOUR)
        due = due_frequencies(at, tz=TZ)
        assert due == [f for f in FREQUENCIES if is_due(f, at, first_at=at, tz=TZ)]
        day += timedelta(days=1)


@pytest.mark.parametrize("tick, owed", [
    # Monday 30 March 2026 (summer time since the 29th): 10:00 Copenhagen is 08:00 UTC.
    (utc(2026, 3, 30, 7, 59), None),
    (utc(2026, 3, 30, 8, 0), utc(2026, 3, 30, 8, 0)),
    (utc(2026, 3, 30, 21, 0), utc(2026, 3, 30, 8, 0)),   # back after downtime: still owed
    # Monday 26 October 2026 (winter time since the 25th): 10:00 Copenhagen is 09:00 UTC.
    (utc(2026, 10, 26, 8, 0), None),                     # 10:00 UTC would be an hour late
    (utc(2026, 10, 26, 8, 59), None),
    (utc(2026, 10, 26, 9, 0), utc(2026, 10, 26, 9, 0)),
    # The next day starts at local midnight: the previous day's send time is no longer owed.
    (utc(2026, 10, 26, 23, 30), None),
])
def test_a_tick_owes_that_days_send_time_in_copenhagen(tick, owed):
    assert latest_send_time(tick, tz=TZ, hour=HOUR) == owed


@pytest.mark.parametrize("turned_on, first", [
    (utc(2026, 4, 1, 12), utc(2026, 4, 6, 8)),      # Wednesday -> next Monday 10:00
    (utc(2026, 4, 6, 7, 59), utc(2026, 4, 6, 8)),   # Monday 09:59 -> that Monday
    (utc(2026, 4, 6, 8, 0), utc(2026, 4, 13, 8)),   # Monday 10:00 -> strictly after
    (utc(2026, 3, 27, 12), utc(2026, 3, 30, 8)),    # across the switch to summer time
    (utc(2026, 10, 23, 12), utc(2026, 10, 26, 9)),  # across the switch to winter time
])
def test_first_digest_is_the_first_monday_ten_after_turning_on(turned_on, first):
    assert first_digest_at(turned_on, tz=TZ, hour=HOUR) == first


def test_daily_setting_is_not_due_before_its_first_monday():
    first = utc(2026, 4, 6, 8)
    assert not is_due("daily", utc(2026, 4, 3, 8), first_at=first, tz=TZ)  # Friday before
    assert is_due("daily", first, first_at=first, tz=TZ)
    assert is_due("daily", utc(2026, 4, 7, 8), first_at=first, tz=TZ)


def test_tick_minute_is_the_utc_minute():
    local = datetime.fromisoformat("2026-03-30T10:00:59.999+02:00")
    assert tick_minute(local) == utc(2026, 3, 30, 8, 0)
