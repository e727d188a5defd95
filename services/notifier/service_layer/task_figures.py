"""The platform's expense and wallet events -> the notifier's own per-client task figures."""

from collections.abc import Sequence

from services.notifier.db.unit_of_work import NotifierUnitOfWork
from shared.events import Event


async def expenses_changed(uow: NotifierUnitOfWork, events: Sequence[Event]) -> None:
    """Expense events: merged into per-expense state, the clients' counts recounted."""
    async with uow:
        await uow.figures.apply_expenses(events)


async def wallets_changed(uow: NotifierUnitOfWork, events: Sequence[Event]) -> None:
    """`wallet.balance_changed`: each client keeps the balance of the highest sequence."""
    async with uow:
        await uow.figures.apply_wallets(events)
