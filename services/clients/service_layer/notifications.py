"""My email setting per client, and the one-click unsubscribe of digests."""

from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID

from services.clients.db.unit_of_work import ClientsUnitOfWork
from services.clients.domain import announcements
from services.clients.domain.errors import NotFound
from services.clients.domain.notifications import Preference, changed_preference
from services.clients.domain.visibility import Caller
from services.clients.service_layer.visibility import visible_link
from shared.events.schemas import Frequency


@dataclass(frozen=True, slots=True)
class Setting:
    client_id: UUID
    staff_id: UUID
    email: bool
    frequency: Frequency
    first_digest_at: datetime | None
    changed_at: datetime | None

    @classmethod
    def of(cls, client_id: UUID, staff_id: UUID, pref: Preference) -> "Setting":
        return cls(client_id, staff_id, pref.email, pref.frequency, pref.first_digest_at,
                   pref.changed_at)


@dataclass(frozen=True, slots=True)
class Unsubscribed:
    staff_id: UUID
    client_ids: list[UUID]
    turned_off: list[UUID]


async def get_setting(uow: ClientsUnitOfWork, caller: Caller, client_id: UUID) -> Setting:
    async with uow:
        await visible_link(uow.links, caller, client_id)
        pref = await uow.preferences.get(caller.id, client_id)
    return Setting.of(client_id, caller.id, pref)


async def put_setting(uow: ClientsUnitOfWork, caller: Caller, client_id: UUID, *,
                      email: bool, frequency: Frequency | None, digest_timezone: str,
                      digest_hour: int) -> Setting:
    """Save my setting; announce it with when the first digest goes out."""
    async with uow:
        await visible_link(uow.links, caller, client_id)
        previous = await uow.preferences.get(caller.id, client_id, lock=True)
        pref = changed_preference(previous, email=email, frequency=frequency,
                                  now=datetime.now(UTC), tz=digest_timezone, hour=digest_hour)
        await uow.preferences.save(caller.id, client_id, pref)
        await uow.announce(announcements.preference_changed(
            client_id=client_id, staff_id=caller.id, email=pref.email,
            frequency=pref.frequency, changed_at=pref.changed_at,
            first_digest_at=pref.first_digest_at))
    return Setting.of(client_id, caller.id, pref)


async def unsubscribe(uow: ClientsUnitOfWork, staff_id: UUID,
                      client_ids: list[UUID]) -> Unsubscribed:
    """Turn email off for these clients; a repeat finds nothing on and changes nothing."""
    async with uow:
        if await uow.directory.staff(staff_id) is None:
            raise NotFound("no such staff member", code="staff_not_found")
        changed = await uow.preferences.turn_email_off(staff_id, client_ids)
        for off in changed:
            await uow.announce(announcements.preference_changed(
                client_id=off.client_id, staff_id=staff_id, email=False,
                frequency=off.frequency, changed_at=off.changed_at, first_digest_at=None))
    return Unsubscribed(staff_id, client_ids, [off.client_id for off in changed])
