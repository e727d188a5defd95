"""platform.companies.v1: a client company added a firm as its external bookkeeper.

The firm gets an `invitation_pending` link (Invitations tab). An invitation to a firm we do
not know raises, so the consumer dead-letters it with the reason instead of dropping it.
"""

from services.clients.db.unit_of_work import ClientsUnitOfWork
from services.clients.service_layer.invitations import company_invited
from shared.events import Event


async def apply_invitations(uow: ClientsUnitOfWork, events: list[Event], *,
                            consumer: str = "clients.companies") -> None:
    """The batch in one transaction; events applied before (ids claimed) are skipped."""
    async with uow:
        for event in await uow.claim(consumer, events):
            await company_invited(uow, event.data)
