""""Go to client": a short-lived signed grant to enter a client's account, audited."""

import uuid
from urllib.parse import quote
from uuid import UUID

from services.clients.db.access import insert_grant
from services.clients.db.links import insert_audit
from services.clients.domain import announcements
from services.clients.domain.visibility import Caller
from services.clients.runtime import Runtime
from services.clients.service_layer.visibility import visible_link
from shared.tokens import make_client_access_grant


async def grant_access(rt: Runtime, caller: Caller, client_id: UUID) -> dict:
    """A 5-minute grant for an active client the caller may see, recorded and announced."""
    grant_id = uuid.uuid4()
    async with rt.pool.acquire() as conn, conn.transaction():
        await visible_link(rt, caller, client_id, active_only=True, conn=conn)
        token, expires_at = make_client_access_grant(
            grant_id=grant_id, client_id=client_id, staff_id=caller.id,
            keys=rt.settings.grant_keys)
        await insert_grant(conn, grant_id=grant_id, firm_id=caller.firm_id,
                           client_id=client_id, staff_id=caller.id, expires_at=expires_at)
        await insert_audit(conn, firm_id=caller.firm_id, staff_id=caller.id,
                           action="client.accessed", client_id=client_id,
                           details={"grant_id": str(grant_id),
                                    "expires_at": expires_at.isoformat()})
        await rt.announcer.add(conn, announcements.client_accessed(
            client_id=client_id, staff_id=caller.id, grant_id=grant_id,
            expires_at=expires_at))
    base = rt.settings.client_account_base_url.rstrip("/")
    url = f"{base}/{client_id}?grant={quote(token, safe='')}"
    return {"grant_id": grant_id, "url": url, "token": token, "expires_at": expires_at}
