"""The platform's expense and wallet events -> per-client task figures (shared.task_figures).

Counts come from per-expense state, so a duplicate never counts twice and a receipt attached
before the expense was created never drives a count negative; the wallet keeps the balance
of the highest sequence.
"""

from collections.abc import Sequence

from services.clients.db.unit_of_work import ClientsUnitOfWork
from shared.events import Event


async def expenses_changed(uow: ClientsUnitOfWork, events: Sequence[Event]) -> None:
    async with uow:
        await uow.figures.apply_expenses(events)


async def wallets_changed(uow: ClientsUnitOfWork, events: Sequence[Event]) -> None:
    async with uow:
        await uow.figures.apply_wallets(events)
