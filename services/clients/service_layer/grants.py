""""Go to client": a short-lived signed grant to enter a client's account, audited."""

import uuid
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote
from uuid import UUID

from services.clients.db.unit_of_work import ClientsUnitOfWork
from services.clients.domain import announcements
from services.clients.domain.visibility import Caller
from services.clients.service_layer.visibility import visible_link
from shared.tokens import SigningKeys, make_client_access_grant


@dataclass(frozen=True, slots=True)
class Grant:
    grant_id: UUID
    url: str
    token: str
    expires_at: datetime


async def grant_access(uow: ClientsUnitOfWork, caller: Caller, client_id: UUID, *,
                       keys: SigningKeys, account_base_url: str) -> Grant:
    """A 5-minute grant for an active client the caller may see, recorded and announced."""
    grant_id = uuid.uuid4()
    async with uow:
        await visible_link(uow.links, caller, client_id, active_only=True)
        token, expires_at = make_client_access_grant(
            grant_id=grant_id, client_id=client_id, staff_id=caller.id, keys=keys)
        await uow.access.add(grant_id=grant_id, firm_id=caller.firm_id, client_id=client_id,
                             staff_id=caller.id, expires_at=expires_at)
        await uow.audit.add(firm_id=caller.firm_id, staff_id=caller.id,
                            action="client.accessed", client_id=client_id,
                            details={"grant_id": str(grant_id),
                                     "expires_at": expires_at.isoformat()})
        await uow.announce(announcements.client_accessed(
            client_id=client_id, staff_id=caller.id, grant_id=grant_id,
            expires_at=expires_at))
    url = f"{account_base_url.rstrip('/')}/{client_id}?grant={quote(token, safe='')}"
    return Grant(grant_id, url, token, expires_at)
