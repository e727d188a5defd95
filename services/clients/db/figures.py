"""Per-client task figures (shared.task_figures) in the clients schema.

Triggers (migrations 0003, 0004) copy changed counts onto the links the list reads and
resolve reminders whose tasks are done, in the same transaction as the figures.
"""

from collections.abc import Iterable
from uuid import UUID

import asyncpg

from services.clients.db import SCHEMA
from shared.events import Event
from shared.task_figures import apply_expense_events, apply_wallet_events


class Figures:
    def __init__(self, conn: asyncpg.Connection):
        self.conn = conn

    async def apply_expenses(self, events: Iterable[Event]) -> list[UUID]:
        return await apply_expense_events(self.conn, SCHEMA, events)

    async def apply_wallets(self, events: Iterable[Event]) -> list[UUID]:
        return await apply_wallet_events(self.conn, SCHEMA, events)
