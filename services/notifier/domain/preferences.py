"""Notification settings: the net effect of a batch of `notification.preference_changed` events."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from uuid import UUID

from shared.digest_schedule import first_digest_at
from shared.events import Event


@dataclass(frozen=True)
class PreferenceChange:
    """Where one (staff, client) setting ends up after a batch, ordered by `changed_at`."""

    staff_id: UUID
    client_id: UUID
    email: bool
    frequency: str
    changed_at: datetime
    first_digest_at: datetime | None
    # Email stayed on through the whole batch and no event named its first digest: the
    # start already stored wins if the stored setting was on ("a PUT that keeps email on
    # keeps first_digest_at").
    keeps_stored_start: bool = False


def fold_preference_events(events: Iterable[Event], *, tz: str,
                           hour: int) -> list[PreferenceChange]:
    """One change per (staff, client), replaying that key's events in `changed_at` order."""
    by_key = defaultdict(list)
    for event in events:
        by_key[(event.data.staff_id, event.data.client_id)].append(event.data)
    folded = []
    for changes in by_key.values():
        state = None
        for data in sorted(changes, key=lambda d: d.changed_at):
            state = _apply(state, data, tz=tz, hour=hour)
        folded.append(state)
    return folded


def _apply(prev: PreferenceChange | None, data, *, tz: str, hour: int) -> PreferenceChange:
    base = dict(staff_id=data.staff_id, client_id=data.client_id, email=data.email,
                frequency=data.frequency, changed_at=data.changed_at)
    if not data.email:
        return PreferenceChange(**base, first_digest_at=None)
    if data.first_digest_at is not None:
        return PreferenceChange(**base, first_digest_at=data.first_digest_at)
    if prev is not None and prev.email:
        return PreferenceChange(**base, first_digest_at=prev.first_digest_at,
                                keeps_stored_start=prev.keeps_stored_start)
    # Turned on here (or first seen on): the first Monday after the moment it was turned on.
    start = first_digest_at(data.changed_at, tz=tz, hour=hour)
    return PreferenceChange(**base, first_digest_at=start, keeps_stored_start=prev is None)


def with_stored_starts(changes: list[PreferenceChange], stored: dict) -> list[PreferenceChange]:
    """Apply the stored first digests ((staff, client) -> time, email on) where they are kept."""
    return [replace(c, first_digest_at=stored[(c.staff_id, c.client_id)])
            if c.keeps_stored_start and (c.staff_id, c.client_id) in stored else c
            for c in changes]
