"""The internal routes' use cases: firms, staff, client companies and direct links."""

import uuid
from dataclasses import dataclass
from uuid import UUID

from services.clients.db.directory import Company, Firm, Staff
from services.clients.db.unit_of_work import ClientsUnitOfWork
from services.clients.domain import announcements
from services.clients.domain.errors import Conflict, NotFound
from services.clients.domain.links import DirectLink, DirectLinkState, Moved
from services.clients.service_layer.links import apply_move
from shared.events import CloudEvent
from shared.events.schemas import LinkState, Locale, Role


@dataclass(frozen=True, slots=True)
class DirectlyLinked:
    firm_id: UUID
    client_id: UUID
    state: LinkState
    name: str


async def create_firm(uow: ClientsUnitOfWork, *, name: str) -> Firm:
    async with uow:
        return await uow.directory.insert_firm(uuid.uuid4(), name)


async def create_staff(uow: ClientsUnitOfWork, *, firm_id: UUID, email: str, name: str,
                       role: Role, locale: Locale) -> Staff:
    """A new staff member of `firm_id`, announced as staff.upserted."""
    async with uow:
        if not await uow.directory.firm_exists(firm_id):
            raise NotFound("no such firm", code="firm_not_found")
        staff = await uow.directory.insert_staff(staff_id=uuid.uuid4(), firm_id=firm_id,
                                                 email=email, name=name, role=role,
                                                 locale=locale)
        if staff is None:
            raise Conflict("this firm already has a staff member with that email",
                           code="staff_email_taken")
        await uow.announce(_staff_upserted(staff))
        return staff


async def update_staff(uow: ClientsUnitOfWork, *, staff_id: UUID, changes: dict) -> Staff:
    """Change a staff member (name, role, locale, active), announced as staff.upserted."""
    async with uow:
        staff = await uow.directory.update_staff(staff_id, changes)
        if staff is None:
            raise NotFound("no such staff member", code="staff_not_found")
        await uow.announce(_staff_upserted(staff))
        return staff


def _staff_upserted(staff: Staff) -> CloudEvent:
    return announcements.staff_upserted(
        staff_id=staff.id, firm_id=staff.firm_id, email=staff.email, name=staff.name,
        role=staff.role, locale=staff.locale, active=staff.active)


async def staff_locale(uow: ClientsUnitOfWork, staff_id: UUID) -> Locale | None:
    """The staff member's language, None when there is no such staff member."""
    async with uow:
        staff = await uow.directory.staff(staff_id)
    return staff.locale if staff else None


async def create_client(uow: ClientsUnitOfWork, *, name: str, registration_number: str,
                        country: str, client_id: UUID | None = None) -> Company:
    async with uow:
        company = await uow.directory.insert_company(
            client_id=client_id or uuid.uuid4(), name=name,
            registration_number=registration_number, country=country)
    if company is None:
        raise Conflict("a client company with this id exists", code="client_id_taken")
    return company


async def link_client(uow: ClientsUnitOfWork, *, firm_id: UUID, client_id: UUID,
                      state: DirectLinkState) -> tuple[DirectlyLinked, bool]:
    """Link a company to a firm directly; (link, created). Repeating it is harmless."""
    async with uow:
        if not await uow.directory.firm_exists(firm_id):
            raise NotFound("no such firm", code="firm_not_found")
        if await uow.directory.company(client_id) is None:
            raise NotFound("no such client company", code="client_not_found")
        applied = await apply_move(uow, firm_id=firm_id, client_id=client_id,
                                   move=DirectLink(state))
    link = applied.link
    return (DirectlyLinked(link.firm_id, link.client_id, link.state, link.name),
            isinstance(applied.outcome, Moved))
