"""My email setting per client, and the one-click unsubscribe of digests."""

from datetime import UTC, datetime
from uuid import UUID

from services.clients.db import preferences as db
from services.clients.db.directory import get_staff
from services.clients.domain import announcements
from services.clients.domain.errors import NotFound
from services.clients.domain.notifications import changed_preference
from services.clients.domain.visibility import Caller
from services.clients.runtime import Runtime
from services.clients.service_layer.visibility import visible_link


def _body(client_id: UUID, staff_id: UUID, pref) -> dict:
    return {"client_id": client_id, "staff_id": staff_id, "email": pref.email,
            "frequency": pref.frequency, "first_digest_at": pref.first_digest_at,
            "changed_at": pref.changed_at}


async def get_setting(rt: Runtime, caller: Caller, client_id: UUID) -> dict:
    await visible_link(rt, caller, client_id)
    pref = await db.get_preference(rt.pool, caller.id, client_id)
    return _body(client_id, caller.id, pref)


async def put_setting(rt: Runtime, caller: Caller, client_id: UUID, *, email: bool,
                      frequency: str | None) -> dict:
    """Save my setting; announce it with when the first digest goes out."""
    settings = rt.settings
    async with rt.pool.acquire() as conn, conn.transaction():
        await visible_link(rt, caller, client_id, conn=conn)
        previous = await db.get_preference(conn, caller.id, client_id, lock=True)
        pref = changed_preference(previous, email=email, frequency=frequency,
                                  now=datetime.now(UTC), tz=settings.digest_timezone,
                                  hour=settings.digest_hour)
        await db.save_preference(conn, caller.id, client_id, pref)
        await rt.announcer.add(conn, announcements.preference_changed(
            client_id=client_id, staff_id=caller.id, email=pref.email,
            frequency=pref.frequency, changed_at=pref.changed_at,
            first_digest_at=pref.first_digest_at))
    return _body(client_id, caller.id, pref)


async def unsubscribe(rt: Runtime, staff_id: UUID, client_ids: list[UUID]) -> dict:
    """Turn email off for these clients; a repeat finds nothing on and changes nothing."""
    async with rt.pool.acquire() as conn, conn.transaction():
        if await get_staff(conn, staff_id) is None:
            raise NotFound("no such staff member", code="staff_not_found")
        changed = await db.turn_email_off(conn, staff_id, client_ids)
        for row in changed:
            await rt.announcer.add(conn, announcements.preference_changed(
                client_id=row["client_id"], staff_id=staff_id, email=False,
                frequency=row["frequency"], changed_at=row["changed_at"],
                first_digest_at=None))
    return {"staff_id": staff_id, "client_ids": client_ids,
            "turned_off": [r["client_id"] for r in changed]}
