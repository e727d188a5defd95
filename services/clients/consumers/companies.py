"""platform.companies.v1: a client company added a firm as its external bookkeeper.

The firm gets an `invitation_pending` link (Invitations tab). An invitation to a firm we do
not know raises, so the consumer dead-letters it with the reason instead of dropping it.
"""

import asyncpg

from services.clients.db import directory, links
from services.clients.db.announcer import Announcer
from services.clients.db.figures import claim
from services.clients.domain import announcements
from services.clients.domain.errors import UnknownFirm
from shared.events import Event

# A client that declined, or was declined, may invite the firm again.
REINVITABLE = ("declined", "disconnected", "rejected")


async def apply_invitations(pool: asyncpg.Pool, announcer: Announcer, events: list[Event], *,
                            consumer: str = "clients.companies") -> None:
    async with pool.acquire() as conn, conn.transaction():
        for event in await claim(conn, consumer, events):
            await _invited(conn, announcer, event.data)


async def _invited(conn: asyncpg.Connection, announcer: Announcer, data) -> None:
    if not await directory.firm_exists(conn, data.firm_id):
        raise UnknownFirm(f"company.bookkeeper_invited names unknown firm {data.firm_id}")
    await directory.upsert_company(conn, client_id=data.client_id, name=data.client_name,
                                   registration_number=data.registration_number,
                                   country=data.country.upper())
    link = await links.insert_link(conn, firm_id=data.firm_id, client_id=data.client_id,
                                   state="invitation_pending")
    if link is None:
        existing = await links.lock_link(conn, data.firm_id, data.client_id)
        if existing["state"] not in REINVITABLE:
            return
        link = await links.set_link_state(conn, firm_id=data.firm_id,
                                          client_id=data.client_id, state="invitation_pending")
    await announcer.add(conn, announcements.client_upserted(
        client_id=data.client_id, firm_id=data.firm_id, name=link["name"],
        link_state="invitation_pending"))
