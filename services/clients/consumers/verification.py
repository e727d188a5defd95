"""onboarding.verification.v1: verification progress moves links between tabs.

Tolerates duplicates (event ids claimed) and disorder (a link never moves backwards, see
domain/links.py).
"""

from services.clients.db.unit_of_work import ClientsUnitOfWork
from services.clients.service_layer.verification import verification_moved
from shared.events import Event


async def apply_verification(uow: ClientsUnitOfWork, events: list[Event], *,
                             consumer: str = "clients.verification") -> None:
    """The batch in one transaction; events applied before (ids claimed) are skipped."""
    async with uow:
        for event in await uow.claim(consumer, events):
            await verification_moved(uow, event.id, event.data)
