"""Clients joining the firm: invite through the portal, accept or decline invitations."""

from uuid import UUID

from fastapi import APIRouter, Depends

from services.clients.api.dependencies import current_staff, runtime
from services.clients.api.schemas import InviteIn
from services.clients.domain.visibility import Caller
from services.clients.runtime import Runtime
from services.clients.service_layer import invitations

router = APIRouter(prefix="/v1", tags=["invitations"])


@router.post("/clients/invite", status_code=201)
async def invite(body: InviteIn, caller: Caller = Depends(current_staff),
                 rt: Runtime = Depends(runtime)) -> dict:
    """Invite a new client: it appears under Onboarding and its verification case opens."""
    return await invitations.invite_client(rt, caller, **body.model_dump())


@router.post("/invitations/{client_id}/accept")
async def accept(client_id: UUID, caller: Caller = Depends(current_staff),
                 rt: Runtime = Depends(runtime)) -> dict:
    """Accept a client's invitation: the client becomes active."""
    return await invitations.answer_invitation(rt, caller, client_id, accept=True)


@router.post("/invitations/{client_id}/decline")
async def decline(client_id: UUID, caller: Caller = Depends(current_staff),
                  rt: Runtime = Depends(runtime)) -> dict:
    """Decline a client's invitation: the client leaves the Invitations tab."""
    return await invitations.answer_invitation(rt, caller, client_id, accept=False)
