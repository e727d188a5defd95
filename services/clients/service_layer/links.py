"""Applying a link move: the one place a link is made or changes state, is announced as
client.upserted and is audited (domain/links.py decides what a move does)."""

from dataclasses import dataclass
from uuid import UUID

from services.clients.db.unit_of_work import ClientsUnitOfWork
from services.clients.domain import announcements
from services.clients.domain.links import Link, LinkMove, Moved, Stays, move_link


@dataclass(frozen=True, slots=True)
class AppliedMove:
    """The link after the move (None: still not linked) and what the move did."""

    link: Link | None
    outcome: Moved | Stays


async def apply_move(uow: ClientsUnitOfWork, *, firm_id: UUID, client_id: UUID,
                     move: LinkMove, staff_id: UUID | None = None) -> AppliedMove:
    """Decide `move` on the locked link and apply it; `staff_id` is who asked (audit).
    A move that makes the link needs the company to exist."""
    async with uow:
        link = await uow.links.lock(firm_id, client_id)
        outcome = move_link(link, move)
        if isinstance(outcome, Stays):
            return AppliedMove(link, outcome)
        if link is None:
            link = await uow.links.insert(firm_id=firm_id, client_id=client_id,
                                          state=outcome.state, case_id=outcome.case_id)
            if link is None:
                if await uow.links.lock(firm_id, client_id) is None:
                    raise LookupError(f"no client company {client_id} to link")
                # Linked by a concurrent transaction since our lock found nothing: decide
                # again on its link.
                return await apply_move(uow, firm_id=firm_id, client_id=client_id, move=move,
                                        staff_id=staff_id)
        else:
            link = await uow.links.set_state(firm_id=firm_id, client_id=client_id,
                                             state=outcome.state,
                                             verification_state=outcome.verification_state)
        if outcome.announce:
            await uow.announce(announcements.client_upserted(
                client_id=client_id, firm_id=firm_id, name=link.name, link_state=link.state))
        if outcome.audit is not None:
            await uow.audit.add(firm_id=firm_id, staff_id=staff_id, action=outcome.audit.action,
                                client_id=client_id, details=outcome.audit.details)
        return AppliedMove(link, outcome)
