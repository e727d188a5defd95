"""The clients service's one consumer: four topics, one plain handler per event type."""

from collections.abc import Awaitable, Callable

from services.clients.consumers.companies import apply_invitations
from services.clients.consumers.figures import apply_expenses, apply_wallets
from services.clients.consumers.verification import apply_verification
from services.clients.db.unit_of_work import ClientsUnitOfWork
from services.clients.settings import ClientsSettings
from shared.events import Event
from shared.kafka.consumer import EventConsumer, Handler
from shared.kafka.producer import EventProducer
from shared.task_figures import EXPENSE_TYPES

UnitOfWorkFactory = Callable[[], ClientsUnitOfWork]
BatchHandler = Callable[[ClientsUnitOfWork, list[Event]], Awaitable[None]]


def handlers(unit_of_work: UnitOfWorkFactory) -> dict[str, Handler]:
    """type -> handler; all expense types share one handler so they batch together."""

    def each_batch_in_a_new_unit(apply: BatchHandler) -> Handler:
        async def handle(events: list[Event]) -> None:
            await apply(unit_of_work(), events)
        return handle

    expenses = each_batch_in_a_new_unit(apply_expenses)
    table: dict[str, Handler] = {t: expenses for t in EXPENSE_TYPES}
    table["wallet.balance_changed"] = each_batch_in_a_new_unit(apply_wallets)
    table["company.bookkeeper_invited"] = each_batch_in_a_new_unit(apply_invitations)
    table["verification.state_changed"] = each_batch_in_a_new_unit(apply_verification)
    return table


def build_consumer(settings: ClientsSettings, unit_of_work: UnitOfWorkFactory,
                   producer: EventProducer, *, group_id: str | None = None,
                   topics: list[str] | None = None, name: str = "clients",
                   max_poll_interval_ms: int = 300_000) -> EventConsumer:
    """The consumer of the contract topics (tests pass their own topics, group and name, and
    a short max_poll_interval_ms to be thrown out of the group)."""
    return EventConsumer(name=name, bootstrap_servers=settings.kafka_bootstrap_servers,
                         group_id=group_id or settings.clients_consumer_group,
                         topics=topics or settings.consumed_topics,
                         handlers=handlers(unit_of_work), producer=producer,
                         max_poll_interval_ms=max_poll_interval_ms)
