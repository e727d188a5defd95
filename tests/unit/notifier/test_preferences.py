"""A batch of setting events folds into one change per (staff, client), in changed_at order."""

import uuid
from datetime import UTC, datetime, timedelta

from services.notifier.domain.preferences import fold_preference_events, with_stored_starts
from shared.events import decode, encode
from shared.events.schemas import NotificationPreferenceChanged

TZ, HOUR = "Europe/Copenhagen", 10
STAFF, CLIENT = uuid.uuid4(), uuid.uuid4()
WEDNESDAY = datetime(2026, 4, 1, 12, tzinfo=UTC)
NEXT_MONDAY = datetime(2026, 4, 6, 8, tzinfo=UTC)


def change(at, *, email=True, frequency="weekly", first=None, client=CLIENT):
    data = NotificationPreferenceChanged(client_id=client, staff_id=STAFF, email=email,
                                         frequency=frequency, changed_at=at,
                                         first_digest_at=first)
    return decode(encode("notification.preference_changed", data, source="/t").to_bytes())


def fold(*events):
    return fold_preference_events(events, tz=TZ, hour=HOUR)


def test_turning_on_without_a_first_digest_derives_the_next_monday():
    [c] = fold(change(WEDNESDAY))
    assert c.first_digest_at == NEXT_MONDAY and c.keeps_stored_start


def test_a_given_first_digest_wins():
    given = datetime(2026, 4, 13, 8, tzinfo=UTC)
    [c] = fold(change(WEDNESDAY, first=given))
    assert c.first_digest_at == given and not c.keeps_stored_start


def test_events_are_replayed_in_changed_at_order_whatever_the_arrival():
    later = WEDNESDAY + timedelta(days=10)
    [c] = fold(change(later, frequency="daily"), change(WEDNESDAY, email=False))
    assert (c.email, c.frequency, c.changed_at) == (True, "daily", later)
    # Turned on after being off within the batch: counted from that moment, not kept.
    assert c.first_digest_at == datetime(2026, 4, 13, 8, tzinfo=UTC)
    assert not c.keeps_stored_start


def test_keeping_email_on_keeps_the_first_digest():
    [c] = fold(change(WEDNESDAY), change(WEDNESDAY + timedelta(days=9), frequency="monthly"))
    assert (c.frequency, c.first_digest_at) == ("monthly", NEXT_MONDAY)


def test_turning_off_clears_the_first_digest():
    [c] = fold(change(WEDNESDAY), change(WEDNESDAY + timedelta(hours=1), email=False))
    assert (c.email, c.first_digest_at) == (False, None)


def test_one_change_per_client():
    other = uuid.uuid4()
    assert len(fold(change(WEDNESDAY), change(WEDNESDAY, client=other))) == 2


def test_a_stored_start_is_kept_only_where_the_batch_did_not_turn_email_on():
    stored = datetime(2026, 3, 30, 8, tzinfo=UTC)
    kept, turned_on = fold(change(WEDNESDAY), change(WEDNESDAY, email=False, client=uuid.uuid4()))
    result = with_stored_starts([kept, turned_on], {(STAFF, CLIENT): stored})
    assert result[0].first_digest_at == stored
    assert result[1] == turned_on
