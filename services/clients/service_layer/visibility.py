"""The one check every per-client route makes before touching a client."""

from uuid import UUID

from services.clients.db.links import link_seen_by
from services.clients.domain.errors import NotAllowed, NotFound
from services.clients.domain.visibility import Caller, may_see
from services.clients.runtime import Runtime


def require_admin(caller: Caller, action: str) -> None:
    if not caller.is_admin:
        raise NotAllowed(f"only admins may {action}", code="admin_only")


async def visible_link(rt: Runtime, caller: Caller, client_id: UUID, *,
                       active_only: bool = False, conn=None) -> dict:
    """The link of `client_id` as the caller sees it; NotFound if they may not see it.

    Another firm's client, a bookkeeper's unassigned client and a declined link all
    answer the same 404, so the answer reveals nothing about clients one may not see.
    """
    row = await link_seen_by(conn or rt.pool, firm_id=caller.firm_id, client_id=client_id,
                             staff_id=caller.id)
    if row is None or not may_see(caller.role, row["state"], row["mine"]):
        raise NotFound("no such client", code="client_not_found")
    if active_only and row["state"] != "active":
        raise NotFound("no such active client; this needs a client whose link is active",
                       code="client_not_active")
    return dict(row)
