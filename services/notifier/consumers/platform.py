"""Handlers of the platform's expense and wallet events: the notifier's own task figures."""

from functools import partial

import asyncpg

from services.notifier.consumers.idempotent import idempotent
from services.notifier.db.unit_of_work import NotifierUnitOfWork
from shared.kafka.consumer import Handler
from shared.task_figures import EXPENSE_TYPES, expenses_changed, wallets_changed


def expense_handlers(pool: asyncpg.Pool) -> dict[str, Handler]:
    """type -> handler for platform.expenses.v1 (one handler, so runs of types batch together)."""
    handler = idempotent(partial(NotifierUnitOfWork, pool), "notifier.expenses", expenses_changed)
    return dict.fromkeys(EXPENSE_TYPES, handler)


def wallet_handlers(pool: asyncpg.Pool) -> dict[str, Handler]:
    """type -> handler for platform.wallets.v1."""
    return {"wallet.balance_changed": idempotent(partial(NotifierUnitOfWork, pool),
                                                 "notifier.wallets", wallets_changed)}
