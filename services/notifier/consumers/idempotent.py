"""Handlers that apply each event once: the claim of its id commits with its effect."""

from collections.abc import Awaitable, Callable

from services.notifier.db.unit_of_work import NotifierUnitOfWork
from shared.events import Event
from shared.kafka.consumer import Handler

UnitOfWorkFactory = Callable[[], NotifierUnitOfWork]
Apply = Callable[[NotifierUnitOfWork, list[Event]], Awaitable[object]]


def idempotent(unit_of_work: UnitOfWorkFactory, consumer: str, apply: Apply) -> Handler:
    """A handler opening one unit of work per batch, in which it claims the events' ids for
    `consumer` and runs `apply` on those not applied before (a replay changes nothing)."""

    async def handle(events: list[Event]) -> None:
        uow = unit_of_work()
        async with uow:
            fresh = await uow.claim(consumer, events)
            if fresh:
                await apply(uow, fresh)

    return handle
