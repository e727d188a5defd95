"""The one check every per-client route makes before touching a client."""

from uuid import UUID

from services.clients.db.directory import Staff
from services.clients.db.links import Links, SeenLink
from services.clients.domain.errors import NotAllowed, NotFound
from services.clients.domain.visibility import Caller, may_see


def require_admin(caller: Caller, action: str) -> None:
    if not caller.is_admin:
        raise NotAllowed(f"only admins may {action}", code="admin_only")


def active_caller(staff: Staff | None) -> Caller | None:
    """The caller a staff member is, or None when there is no active staff member."""
    if staff is None or not staff.active:
        return None
    return Caller(id=staff.id, firm_id=staff.firm_id, role=staff.role, name=staff.name,
                  email=staff.email, locale=staff.locale)


async def visible_link(links: Links, caller: Caller, client_id: UUID, *,
                       active_only: bool = False) -> SeenLink:
    """The link of `client_id` as the caller sees it; NotFound if they may not see it.

    Another firm's client, a bookkeeper's unassigned client and a declined link all
    answer the same 404, so the answer reveals nothing about clients one may not see.
    """
    link = await links.seen_by(firm_id=caller.firm_id, client_id=client_id,
                               staff_id=caller.id)
    if link is None or not may_see(caller.role, link.state, link.mine):
        raise NotFound("no such client", code="client_not_found")
    if active_only and link.state != "active":
        raise NotFound("no such active client; this needs a client whose link is active",
                       code="client_not_active")
    return link
