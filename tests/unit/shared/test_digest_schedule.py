"""Digest timing: 10:00 Copenhagen time, Mondays / weekdays / first Mondays, first-digest rule."""

from datetime import UTC, date, datetime

import pytest

from shared.digest_schedule import first_digest_at, is_due, is_send_day, latest_send_time, send_time

TZ, HOUR = "Europe/Copenhagen", 10


def utc(*args):
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize("day, expected_utc", [
    (date(2026, 3, 30), utc(2026, 3, 30, 8)),    # first Monday of summer time (CEST, UTC+2)
    (date(2026, 10, 26), utc(2026, 10, 26, 9)),  # first Monday of winter time (CET, UTC+1)
    (date(2026, 3, 23), utc(2026, 3, 23, 9)),    # last Monday of winter time
])
def test_send_time_follows_copenhagen_daylight_saving(day, expected_utc):
    assert send_time(day, tz=TZ, hour=HOUR) == expected_utc


@pytest.mark.parametrize("frequency, day, due", [
    ("weekly", date(2026, 11, 30), True),    # Monday
    ("weekly", date(2026, 12, 1), False),    # Tuesday
    ("daily", date(2026, 12, 4), True),      # Friday
    ("daily", date(2026, 12, 5), False),     # Saturday
    ("daily", date(2026, 12, 6), False),     # Sunday
    ("monthly", date(2026, 12, 7), True),    # first Monday of December
    ("monthly", date(2026, 12, 14), False),  # second Monday
    ("monthly", date(2026, 11, 30), False),  # last Monday of November
    ("monthly", date(2026, 11, 2), True),
])
def test_send_days(frequency, day, due):
    assert is_send_day(frequency, day) is due


def test_unknown_frequency_is_refused():
    with pytest.raises(ValueError):
        is_send_day("hourly", date(2026, 11, 30))


@pytest.mark.parametrize("turned_on, first", [
    (utc(2026, 11, 26, 15), utc(2026, 11, 30, 9)),      # Thursday -> next Monday
    (utc(2026, 11, 30, 8, 59), utc(2026, 11, 30, 9)),   # Monday 09:59 local -> same day 10:00
    (utc(2026, 11, 30, 9), utc(2026, 12, 7, 9)),        # exactly at 10:00 -> the week after
    (utc(2026, 3, 27, 12), utc(2026, 3, 30, 8)),        # across the switch to summer time
    (utc(2026, 11, 29, 23, 30), utc(2026, 11, 30, 9)),  # Monday 00:30 local -> 10:00 that day
])
def test_first_digest_is_the_first_monday_after_turning_on(turned_on, first):
    assert first_digest_at(turned_on, tz=TZ, hour=HOUR) == first


def test_daily_waits_for_the_first_monday():
    first = first_digest_at(utc(2026, 11, 26, 15), tz=TZ, hour=HOUR)  # a Thursday
    friday = send_time(date(2026, 11, 27), tz=TZ, hour=HOUR)
    monday = send_time(date(2026, 11, 30), tz=TZ, hour=HOUR)
    assert not is_due("daily", friday, first_at=first, tz=TZ)
    assert is_due("daily", monday, first_at=first, tz=TZ)


def test_latest_send_time_is_todays_once_passed():
    assert latest_send_time(utc(2026, 11, 30, 8, 59), tz=TZ, hour=HOUR) is None
    assert latest_send_time(utc(2026, 11, 30, 9), tz=TZ, hour=HOUR) == utc(2026, 11, 30, 9)
    # back after being down over 10:00: the same day's send time is still owed
    assert latest_send_time(utc(2026, 11, 30, 14, 3), tz=TZ, hour=HOUR) == utc(2026, 11, 30, 9)
