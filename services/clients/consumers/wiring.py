"""The clients service's one consumer: four topics, one plain handler per event type."""

from functools import partial

import asyncpg

from services.clients.consumers.companies import apply_invitations
from services.clients.consumers.figures import apply_expenses, apply_wallets
from services.clients.consumers.verification import apply_verification
from services.clients.db.announcer import Announcer
from services.clients.settings import ClientsSettings
from shared.kafka.consumer import EventConsumer, Handler
from shared.kafka.producer import EventProducer
from shared.task_figures import EXPENSE_TYPES


def handlers(pool: asyncpg.Pool, announcer: Announcer) -> dict[str, Handler]:
    """type -> handler; all expense types share one handler so they batch together."""
    expenses = partial(apply_expenses, pool)
    table: dict[str, Handler] = {t: expenses for t in EXPENSE_TYPES}
    table["wallet.balance_changed"] = partial(apply_wallets, pool)
    table["company.bookkeeper_invited"] = partial(apply_invitations, pool, announcer)
    table["verification.state_changed"] = partial(apply_verification, pool, announcer)
    return table


def build_consumer(settings: ClientsSettings, pool: asyncpg.Pool, announcer: Announcer,
                   producer: EventProducer, *, group_id: str | None = None,
                   topics: list[str] | None = None, name: str = "clients",
                   max_poll_interval_ms: int = 300_000) -> EventConsumer:
    """The consumer of the contract topics (tests pass their own topics, group and name, and
    a short max_poll_interval_ms to be thrown out of the group)."""
    return EventConsumer(name=name, bootstrap_servers=settings.kafka_bootstrap_servers,
                         group_id=group_id or settings.clients_consumer_group,
                         topics=topics or settings.consumed_topics,
                         handlers=handlers(pool, announcer), producer=producer,
                         max_poll_interval_ms=max_poll_interval_ms)
