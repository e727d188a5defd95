"""platform.expenses.v1 and platform.wallets.v1 -> per-client task figures.

Event ids are claimed in the transaction of the batch, so a redelivered batch changes nothing.
"""

from services.clients.db.unit_of_work import ClientsUnitOfWork
from shared.events import Event
from shared.task_figures import expenses_changed, wallets_changed


async def apply_expenses(uow: ClientsUnitOfWork, events: list[Event], *,
                         consumer: str = "clients.expenses") -> None:
    async with uow:
        await expenses_changed(uow, await uow.claim(consumer, events))


async def apply_wallets(uow: ClientsUnitOfWork, events: list[Event], *,
                        consumer: str = "clients.wallets") -> None:
    async with uow:
        await wallets_changed(uow, await uow.claim(consumer, events))
