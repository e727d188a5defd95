"""What staff do with one client: assign, notification settings, reminders, Go to client."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Header

from services.clients.api.dependencies import current_staff, runtime
from services.clients.api.schemas import AssigneesIn, NotificationIn, ReminderIn
from services.clients.domain.visibility import Caller
from services.clients.runtime import Runtime
from services.clients.service_layer import assignments, grants, notifications, reminders
from shared.http.text import SINGLE_LINE

router = APIRouter(prefix="/v1/clients/{client_id}", tags=["client actions"])

IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key", min_length=1,
                                              max_length=200), SINGLE_LINE]


@router.put("/assignees")
async def put_assignees(client_id: UUID, body: AssigneesIn,
                        caller: Caller = Depends(current_staff),
                        rt: Runtime = Depends(runtime)) -> dict:
    """Replace the client's assignees (active staff of the same firm)."""
    return await assignments.replace_assignees(rt, caller, client_id, body.staff_ids)


@router.get("/notifications")
async def get_notifications(client_id: UUID, caller: Caller = Depends(current_staff),
                            rt: Runtime = Depends(runtime)) -> dict:
    """My email setting for this client."""
    return await notifications.get_setting(rt, caller, client_id)


@router.put("/notifications")
async def put_notifications(client_id: UUID, body: NotificationIn,
                            caller: Caller = Depends(current_staff),
                            rt: Runtime = Depends(runtime)) -> dict:
    """Change my email setting; the answer says when the first digest goes out."""
    return await notifications.put_setting(rt, caller, client_id, email=body.email,
                                           frequency=body.frequency)


@router.post("/reminders", status_code=202)
async def post_reminder(client_id: UUID, body: ReminderIn, idempotency_key: IdempotencyKey = None,
                        caller: Caller = Depends(current_staff),
                        rt: Runtime = Depends(runtime)) -> dict:
    """Remind every bookkeeper assigned to this client (admins, active clients)."""
    return await reminders.send_reminder(rt, caller, client_id, tasks=body.tasks,
                                         comment=body.comment,
                                         idempotency_key=idempotency_key)


@router.get("/reminders")
async def get_reminders(client_id: UUID, caller: Caller = Depends(current_staff),
                        rt: Runtime = Depends(runtime)) -> dict:
    """Reminders sent for this client, newest first, each open or resolved."""
    return {"items": await reminders.list_reminders(rt, caller, client_id)}


@router.post("/access", status_code=201)
async def post_access(client_id: UUID, caller: Caller = Depends(current_staff),
                      rt: Runtime = Depends(runtime)) -> dict:
    """Go to client: a 5-minute signed grant and the URL to open the client's account."""
    return await grants.grant_access(rt, caller, client_id)
