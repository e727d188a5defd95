"""Which staff of the firm work on a client."""

from uuid import UUID

from services.clients.db import links
from services.clients.db.directory import active_staff_list, active_staff_of_firm
from services.clients.domain import announcements
from services.clients.domain.errors import Invalid
from services.clients.domain.visibility import Caller
from services.clients.runtime import Runtime
from services.clients.service_layer.visibility import require_admin, visible_link


async def replace_assignees(rt: Runtime, caller: Caller, client_id: UUID,
                            staff_ids: list[UUID]) -> dict:
    """Make exactly `staff_ids` (active staff of the caller's firm) the client's assignees."""
    require_admin(caller, "assign staff")
    wanted = sorted(set(staff_ids))
    async with rt.pool.acquire() as conn, conn.transaction():
        await links.lock_link(conn, caller.firm_id, client_id)
        await visible_link(rt, caller, client_id, conn=conn)
        staff = await active_staff_of_firm(conn, caller.firm_id, wanted)
        unknown = sorted(set(wanted) - {s["id"] for s in staff}, key=str)
        if unknown:
            raise Invalid("staff_ids must name active staff of your firm",
                          code="unknown_staff", details={"staff_ids": [str(u) for u in unknown]})
        before = await links.assignee_ids(conn, caller.firm_id, client_id)
        if before != wanted:
            await links.replace_assignees(conn, firm_id=caller.firm_id, client_id=client_id,
                                          staff_ids=wanted)
            await rt.announcer.add(conn, announcements.assignees_changed(
                client_id=client_id, firm_id=caller.firm_id, staff_ids=wanted))
            await links.insert_audit(conn, firm_id=caller.firm_id, staff_id=caller.id,
                                     action="assignees.changed", client_id=client_id,
                                     details={"staff_ids": [str(s) for s in wanted]})
    assignees = sorted(({"id": s["id"], "name": s["name"], "role": s["role"]} for s in staff),
                       key=lambda a: (a["name"], str(a["id"])))
    return {"client_id": client_id, "staff_ids": wanted, "assignees": assignees}


async def assignable_staff(rt: Runtime, caller: Caller) -> list[dict]:
    """The active staff of the admin's firm, by name: the choices for a client's assignees."""
    require_admin(caller, "list the firm's staff")
    return [{"id": s["id"], "name": s["name"], "role": s["role"]}
            for s in await active_staff_list(rt.pool, caller.firm_id)]
