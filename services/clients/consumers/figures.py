"""platform.expenses.v1 and platform.wallets.v1 -> per-client task figures.

Counts come from per-expense state (shared.task_figures), so a duplicate never counts twice
and a receipt attached before the expense was created never drives a count negative; the
wallet keeps the balance of the highest sequence. Event ids are claimed in the same
transaction, so a redelivered batch changes nothing.
"""

import asyncpg

from services.clients.db import figures
from shared.events import Event


async def apply_expenses(pool: asyncpg.Pool, events: list[Event], *,
                         consumer: str = "clients.expenses") -> None:
    async with pool.acquire() as conn, conn.transaction():
        fresh = await figures.claim(conn, consumer, events)
        await figures.apply_expenses(conn, fresh)


async def apply_wallets(pool: asyncpg.Pool, events: list[Event], *,
                        consumer: str = "clients.wallets") -> None:
    async with pool.acquire() as conn, conn.transaction():
        fresh = await figures.claim(conn, consumer, events)
        await figures.apply_wallets(conn, fresh)
