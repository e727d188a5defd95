"""What staff do with one client: assign, notification settings, reminders, Go to client."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Header

from services.clients.api.dependencies import UowDep, current_staff, runtime
from services.clients.api.responses import (AssigneesOut, GrantOut, NotificationOut,
                                            ReminderSentOut, RemindersOut)
from services.clients.api.schemas import AssigneesIn, NotificationIn, ReminderIn
from services.clients.domain.visibility import Caller
from services.clients.runtime import Runtime
from services.clients.service_layer import assignments, grants, notifications, reminders
from services.clients.service_layer.assignments import Assignees
from services.clients.service_layer.grants import Grant
from services.clients.service_layer.notifications import Setting
from services.clients.service_layer.reminders import ReminderSent
from shared.http.errors import error_responses
from shared.http.text import SINGLE_LINE

router = APIRouter(prefix="/v1/clients/{client_id}", tags=["client actions"],
                   responses=error_responses(401, 404, 422))

IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key", min_length=1,
                                              max_length=200), SINGLE_LINE]


@router.put("/assignees", response_model=AssigneesOut, responses=error_responses(403, 413))
async def put_assignees(client_id: UUID, body: AssigneesIn, uow: UowDep,
                        caller: Caller = Depends(current_staff)) -> Assignees:
    """Replace the client's assignees (active staff of the same firm)."""
    return await assignments.replace_assignees(uow, caller, client_id, body.staff_ids)


@router.get("/notifications", response_model=NotificationOut)
async def get_notifications(client_id: UUID, uow: UowDep,
                            caller: Caller = Depends(current_staff)) -> Setting:
    """My email setting for this client."""
    return await notifications.get_setting(uow, caller, client_id)


@router.put("/notifications", response_model=NotificationOut, responses=error_responses(413))
async def put_notifications(client_id: UUID, body: NotificationIn, uow: UowDep,
                            caller: Caller = Depends(current_staff),
                            rt: Runtime = Depends(runtime)) -> Setting:
    """Change my email setting; the answer says when the first digest goes out."""
    return await notifications.put_setting(uow, caller, client_id, email=body.email,
                                           frequency=body.frequency,
                                           digest_timezone=rt.settings.digest_timezone,
                                           digest_hour=rt.settings.digest_hour)


@router.post("/reminders", status_code=202, response_model=ReminderSentOut,
             responses=error_responses(403, 409, 413))
async def post_reminder(client_id: UUID, body: ReminderIn, uow: UowDep,
                        idempotency_key: IdempotencyKey = None,
                        caller: Caller = Depends(current_staff)) -> ReminderSent:
    """Remind every bookkeeper assigned to this client (admins, active clients)."""
    return await reminders.send_reminder(uow, caller, client_id, tasks=body.tasks,
                                         comment=body.comment,
                                         idempotency_key=idempotency_key)


@router.get("/reminders", response_model=RemindersOut, responses=error_responses(403))
async def get_reminders(client_id: UUID, uow: UowDep,
                        caller: Caller = Depends(current_staff)) -> dict:
    """Reminders sent for this client, newest first, each open or resolved."""
    return {"items": await reminders.list_reminders(uow, caller, client_id)}


@router.post("/access", status_code=201, response_model=GrantOut)
async def post_access(client_id: UUID, uow: UowDep, caller: Caller = Depends(current_staff),
                      rt: Runtime = Depends(runtime)) -> Grant:
    """Go to client: a 5-minute signed grant and the URL to open the client's account."""
    return await grants.grant_access(uow, caller, client_id, keys=rt.settings.grant_keys,
                                     account_base_url=rt.settings.client_account_base_url)
