"""onboarding.verification.v1: verification progress moves links between tabs.

Tolerates duplicates (event ids claimed) and disorder (a link never moves backwards, see
domain.verification). An event for a link we do not have is logged and counted.
"""

import logging

import asyncpg

from services.clients.db import links
from services.clients.db.announcer import Announcer
from services.clients.db.figures import claim
from services.clients.domain import announcements, verification
from services.clients.metrics import VERIFICATION_IGNORED
from shared.events import Event

log = logging.getLogger(__name__)


async def apply_verification(pool: asyncpg.Pool, announcer: Announcer, events: list[Event], *,
                             consumer: str = "clients.verification") -> None:
    async with pool.acquire() as conn, conn.transaction():
        for event in await claim(conn, consumer, events):
            await _state_changed(conn, announcer, event)


async def _state_changed(conn: asyncpg.Connection, announcer: Announcer, event: Event) -> None:
    data = event.data
    link = await links.lock_link(conn, data.firm_id, data.client_id)
    if link is None:
        VERIFICATION_IGNORED.labels("unknown_link").inc()
        log.warning("verification event for a client not linked to the firm",
                    extra={"event_id": event.id, "client_id": str(data.client_id),
                           "firm_id": str(data.firm_id)})
        return
    step = verification.step(link["state"], link["verification_state"], data.to_state)
    if step is None:
        VERIFICATION_IGNORED.labels("stale_or_not_followed").inc()
        log.info("verification event moves nothing",
                 extra={"event_id": event.id, "link_state": link["state"],
                        "to_state": data.to_state})
        return
    await links.set_link_state(conn, firm_id=data.firm_id, client_id=data.client_id,
                               state=step.link_state,
                               verification_state=step.verification_state)
    if step.link_state != link["state"]:
        await announcer.add(conn, announcements.client_upserted(
            client_id=data.client_id, firm_id=data.firm_id, name=link["name"],
            link_state=step.link_state))
