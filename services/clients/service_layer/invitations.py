"""Clients joining a firm: invited through the portal, inviting the firm from the platform,
and admins accepting or declining those invitations."""

import uuid
from dataclasses import dataclass
from uuid import UUID

from services.clients.db.unit_of_work import ClientsUnitOfWork
from services.clients.domain.errors import UnknownFirm
from services.clients.domain.links import CompanyInvite, InvitationAnswer, PortalInvite
from services.clients.domain.visibility import Caller
from services.clients.service_layer.links import apply_move
from services.clients.service_layer.visibility import require_admin
from shared.events.schemas import CompanyBookkeeperInvited, LinkState


@dataclass(frozen=True, slots=True)
class Invited:
    client_id: UUID
    case_id: UUID


@dataclass(frozen=True, slots=True)
class InvitationAnswered:
    client_id: UUID
    link_state: LinkState


async def invite_client(uow: ClientsUnitOfWork, caller: Caller, *, name: str,
                        registration_number: str, country: str, contact_email: str) -> Invited:
    """Create the client under Onboarding and queue the opening of its verification case.

    The case opening is recorded in this transaction and done by the case opener, so the
    invite succeeds while the onboarding service is down and the case is opened once it
    is back, exactly once (our case id makes the onboarding route idempotent).
    """
    require_admin(caller, "invite clients")
    client_id, case_id = uuid.uuid4(), uuid.uuid4()
    async with uow:
        await uow.directory.insert_company(client_id=client_id, name=name,
                                           registration_number=registration_number,
                                           country=country)
        await apply_move(uow, firm_id=caller.firm_id, client_id=client_id,
                         move=PortalInvite(case_id), staff_id=caller.id)
        await uow.case_openings.add(case_id=case_id, client_id=client_id,
                                    firm_id=caller.firm_id, contact_email=contact_email)
        uow.after_commit(uow.wake_case_opener)
    return Invited(client_id, case_id)


async def answer_invitation(uow: ClientsUnitOfWork, caller: Caller, client_id: UUID, *,
                            accept: bool) -> InvitationAnswered:
    """invitation_pending -> active (accept) or declined; repeating the same answer is a no-op."""
    require_admin(caller, "answer invitations")
    await apply_move(uow, firm_id=caller.firm_id, client_id=client_id,
                     move=InvitationAnswer(accept), staff_id=caller.id)
    return InvitationAnswered(client_id, "active" if accept else "declined")


async def company_invited(uow: ClientsUnitOfWork, data: CompanyBookkeeperInvited) -> None:
    """The company added the firm as its bookkeeper on the platform: an invitation_pending
    link (Invitations tab), again if it had declined or been declined before.

    An invitation to a firm we do not know raises UnknownFirm (the consumer dead-letters it).
    """
    async with uow:
        if not await uow.directory.firm_exists(data.firm_id):
            raise UnknownFirm(f"company.bookkeeper_invited names unknown firm {data.firm_id}")
        await uow.directory.upsert_company(client_id=data.client_id, name=data.client_name,
                                           registration_number=data.registration_number,
                                           country=data.country.upper())
        await apply_move(uow, firm_id=data.firm_id, client_id=data.client_id,
                         move=CompanyInvite())
