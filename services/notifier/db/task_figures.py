"""Per-client task figures (shared.task_figures) in the notifier schema: what digests and
reminders show of each client."""

from collections.abc import Iterable
from uuid import UUID

import asyncpg

from services.notifier.db import SCHEMA
from shared.events import Event
from shared.task_figures import apply_expense_events, apply_wallet_events


class TaskFigures:
    def __init__(self, conn: asyncpg.Connection):
        self.conn = conn

    async def apply_expenses(self, events: Iterable[Event]) -> list[UUID]:
        return await apply_expense_events(self.conn, SCHEMA, events)

    async def apply_wallets(self, events: Iterable[Event]) -> list[UUID]:
        return await apply_wallet_events(self.conn, SCHEMA, events)
