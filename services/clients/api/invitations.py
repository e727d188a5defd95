"""Clients joining the firm: invite through the portal, accept or decline invitations."""

from uuid import UUID

from fastapi import APIRouter, Depends

from services.clients.api.dependencies import UowDep, current_staff
from services.clients.api.responses import InvitationAnsweredOut, InvitedOut
from services.clients.api.schemas import InviteIn
from services.clients.domain.visibility import Caller
from services.clients.service_layer import invitations
from services.clients.service_layer.invitations import InvitationAnswered, Invited
from shared.http.errors import error_responses

router = APIRouter(prefix="/v1", tags=["invitations"], responses=error_responses(401, 403))


@router.post("/clients/invite", status_code=201, response_model=InvitedOut,
             responses=error_responses(413, 422))
async def invite(body: InviteIn, uow: UowDep, caller: Caller = Depends(current_staff)) -> Invited:
    """Invite a new client: it appears under Onboarding and its verification case opens."""
    return await invitations.invite_client(uow, caller, **body.model_dump())


@router.post("/invitations/{client_id}/accept", response_model=InvitationAnsweredOut,
             responses=error_responses(404, 409, 422))
async def accept(client_id: UUID, uow: UowDep,
                 caller: Caller = Depends(current_staff)) -> InvitationAnswered:
    """Accept a client's invitation: the client becomes active."""
    return await invitations.answer_invitation(uow, caller, client_id, accept=True)


@router.post("/invitations/{client_id}/decline", response_model=InvitationAnsweredOut,
             responses=error_responses(404, 409, 422))
async def decline(client_id: UUID, uow: UowDep,
                  caller: Caller = Depends(current_staff)) -> InvitationAnswered:
    """Decline a client's invitation: the client leaves the Invitations tab."""
    return await invitations.answer_invitation(uow, caller, client_id, accept=False)
