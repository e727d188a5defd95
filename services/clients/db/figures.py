"""Per-client task figures (shared.task_figures) in the clients schema.

Triggers (migrations 0003, 0004) copy changed counts onto the links the list reads and
resolve reminders whose tasks are done, in the same transaction as the figures.
"""

from collections.abc import Iterable, Sequence
from uuid import UUID

import asyncpg

from shared.db.idempotency import claim_new_events
from shared.events import Event
from shared.task_figures import apply_expense_events, apply_wallet_events

SCHEMA = "clients"


async def claim(conn: asyncpg.Connection, consumer: str, events: Sequence[Event]) -> list[Event]:
    """The events not applied before (each once, in order); recorded as applied now."""
    new = await claim_new_events(conn, SCHEMA, consumer, [e.id for e in events])
    fresh = []
    for event in events:
        if event.id in new:
            new.discard(event.id)  # a duplicate inside the batch counts once
            fresh.append(event)
    return fresh


async def apply_expenses(conn: asyncpg.Connection, events: Iterable[Event]) -> list[UUID]:
    return await apply_expense_events(conn, SCHEMA, events)


async def apply_wallets(conn: asyncpg.Connection, events: Iterable[Event]) -> list[UUID]:
    return await apply_wallet_events(conn, SCHEMA, events)


async def figures_of(conn: asyncpg.Connection, client_id: UUID) -> asyncpg.Record | None:
    return await conn.fetchrow(
        "select missing_receipts, ready_for_export, wallet_balance_minor, wallet_currency,"
        " wallet_sequence, tasks_updated_at from clients.task_figures where client_id = $1",
        client_id)
