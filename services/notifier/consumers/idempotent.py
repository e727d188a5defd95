"""Handlers that apply each event once: the claim of its id commits with its effect."""

from collections.abc import Awaitable, Callable

import asyncpg

from services.notifier.db import SCHEMA
from shared.db.idempotency import claim_new_events
from shared.events import Event
from shared.kafka.consumer import Handler

Apply = Callable[[asyncpg.Connection, list[Event]], Awaitable[object]]


def idempotent(pool: asyncpg.Pool, consumer: str, apply: Apply) -> Handler:
    """A handler running `apply` on the events `consumer` has not applied before, in one
    transaction with their claim (a replayed partition changes nothing)."""

    async def handle(events: list[Event]) -> None:
        async with pool.acquire() as conn, conn.transaction():
            new = await claim_new_events(conn, SCHEMA, consumer, [e.id for e in events])
            # Keyed by id: an event delivered twice within one batch is applied once too.
            fresh = list({e.id: e for e in events if e.id in new}.values())
            if fresh:
                await apply(conn, fresh)

    return handle
