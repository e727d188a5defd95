"""Handlers of the platform's expense and wallet events: the notifier's own task figures."""

import asyncpg

from services.notifier.consumers.idempotent import idempotent
from services.notifier.db import SCHEMA
from shared.kafka.consumer import Handler
from shared.task_figures import EXPENSE_TYPES, apply_expense_events, apply_wallet_events


def expense_handlers(pool: asyncpg.Pool) -> dict[str, Handler]:
    """type -> handler for platform.expenses.v1 (one handler, so runs of types batch together)."""
    handler = idempotent(pool, "notifier.expenses",
                         lambda conn, events: apply_expense_events(conn, SCHEMA, events))
    return dict.fromkeys(EXPENSE_TYPES, handler)


def wallet_handlers(pool: asyncpg.Pool) -> dict[str, Handler]:
    """type -> handler for platform.wallets.v1."""
    return {"wallet.balance_changed": idempotent(
        pool, "notifier.wallets", lambda conn, events: apply_wallet_events(conn, SCHEMA, events))}
