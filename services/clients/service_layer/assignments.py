"""Which staff of the firm work on a client."""

from dataclasses import dataclass
from uuid import UUID

from services.clients.db.directory import Assignable
from services.clients.db.unit_of_work import ClientsUnitOfWork
from services.clients.domain import announcements
from services.clients.domain.errors import Invalid
from services.clients.domain.visibility import Caller
from services.clients.service_layer.visibility import require_admin, visible_link


@dataclass(frozen=True, slots=True)
class Assignees:
    client_id: UUID
    staff_ids: list[UUID]
    assignees: list[Assignable]


async def replace_assignees(uow: ClientsUnitOfWork, caller: Caller, client_id: UUID,
                            staff_ids: list[UUID]) -> Assignees:
    """Make exactly `staff_ids` (active staff of the caller's firm) the client's assignees."""
    require_admin(caller, "assign staff")
    wanted = sorted(set(staff_ids))
    async with uow:
        await uow.links.lock(caller.firm_id, client_id)
        await visible_link(uow.links, caller, client_id)
        staff = await uow.directory.active_staff_of_firm(caller.firm_id, wanted)
        unknown = sorted(set(wanted) - {s.id for s in staff}, key=str)
        if unknown:
            raise Invalid("staff_ids must name active staff of your firm",
                          code="unknown_staff", details={"staff_ids": [str(u) for u in unknown]})
        if await uow.links.assignee_ids(caller.firm_id, client_id) != wanted:
            await uow.links.replace_assignees(firm_id=caller.firm_id, client_id=client_id,
                                              staff_ids=wanted)
            await uow.announce(announcements.assignees_changed(
                client_id=client_id, firm_id=caller.firm_id, staff_ids=wanted))
            await uow.audit.add(firm_id=caller.firm_id, staff_id=caller.id,
                                action="assignees.changed", client_id=client_id,
                                details={"staff_ids": [str(s) for s in wanted]})
    return Assignees(client_id, wanted, sorted(staff, key=lambda s: (s.name, str(s.id))))


async def assignable_staff(uow: ClientsUnitOfWork, caller: Caller) -> list[Assignable]:
    """The active staff of the admin's firm, by name: the choices for a client's assignees."""
    require_admin(caller, "list the firm's staff")
    async with uow:
        return await uow.directory.active_staff(caller.firm_id)
