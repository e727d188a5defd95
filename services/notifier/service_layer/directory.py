"""Partner events -> the notifier's copy of staff, client links, assignees and settings.

Of several events about one thing in a batch the newest wins here; across batches the
repository's guards keep an older event from rolling a row back.
"""

from collections.abc import Hashable, Sequence

from services.notifier.db.unit_of_work import NotifierUnitOfWork
from services.notifier.domain.last_write import latest_per_key
from services.notifier.domain.preferences import fold_preference_events, with_stored_starts
from shared.events import Event


def _link(event: Event) -> Hashable:
    """The (firm, client) link an event is about: one client may be linked to several firms."""
    return event.data.firm_id, event.data.client_id


async def staff_changed(uow: NotifierUnitOfWork, events: Sequence[Event]) -> None:
    """`staff.upserted`: keep each staff member as their newest event says."""
    async with uow:
        await uow.directory.upsert_staff(latest_per_key(events, lambda e: e.data.staff_id))


async def clients_changed(uow: NotifierUnitOfWork, events: Sequence[Event]) -> None:
    """`client.upserted`: keep each (firm, client) link's name and state."""
    async with uow:
        await uow.directory.upsert_clients(latest_per_key(events, _link))


async def assignees_changed(uow: NotifierUnitOfWork, events: Sequence[Event]) -> None:
    """`client.assignees_changed`: replace each link's set of assignees."""
    async with uow:
        await uow.directory.replace_assignees(latest_per_key(events, _link))


async def preferences_changed(uow: NotifierUnitOfWork, events: Sequence[Event], *, tz: str,
                              hour: int) -> None:
    """`notification.preference_changed`: keep each (staff, client) setting with the send
    time of its first digest."""
    changes = fold_preference_events(events, tz=tz, hour=hour)
    async with uow:
        kept = [c for c in changes if c.keeps_stored_start]
        if kept:
            changes = with_stored_starts(changes, await uow.directory.stored_email_starts(kept))
        await uow.directory.upsert_preferences(changes)
