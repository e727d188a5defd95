"""The details page of one client: figures, assignees, my email setting, reminders.

Every form is a plain POST that answers 303 back to the page (works without JavaScript);
the page's script sends the same forms with `X-Portal-Fragment` and gets only the outcome
to put in place, so the reader stays where they were.
"""

import asyncio
import uuid
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from services.portal.api_client import ApiProblem, StaffApi
from services.portal.dependencies import FormDep, PortalDep, SessionDep, StaffApiDep
from services.portal.sessions import Session
from services.portal.views.client_details import (
    FREQUENCIES,
    TASKS,
    EmailSetting,
    ReminderRequest,
    assignee_ids,
    may_go_to,
    sent_reminders,
    staff_choices,
)
from services.portal.wording import api_message, words_for

router = APIRouter(tags=["client details"])

# What a redirect back to the page says happened (`?done=...`).
OUTCOMES = ("email", "assignees", "reminder")


def _is_fragment(request: Request) -> bool:
    return bool(request.headers.get("x-portal-fragment"))


def _fragment(response: Response) -> Response:
    """Marks an outcome fragment: anything else (an error page) the script lets the browser
    load as a page."""
    response.headers["X-Portal-Fragment"] = "outcome"
    return response


async def _page_data(api: StaffApi, session: Session, client_id: UUID) -> dict:
    """The client and, for admins, the firm's staff and the client's reminders, at once."""
    if not session.is_admin:
        return {"client": await api.client(client_id), "staff": [], "reminders": []}
    client, staff, reminders = await asyncio.gather(
        api.client(client_id), api.staff(), api.reminders(client_id))
    return {"client": client, "staff": staff, "reminders": reminders}


async def _render(request: Request, rt: PortalDep, session: Session, api: StaffApi,
                  client_id: UUID, *, status: int = 200, notify_open: bool = False,
                  reminder_error: str | None = None, done: str | None = None,
                  sent_to: int | None = None) -> Response:
    data = await _page_data(api, session, client_id)
    client = data["client"]
    return rt.pages.render(
        request, "client.html", session=session, status=status, client=client,
        notifications=client.get("notifications") or {}, frequencies=FREQUENCIES,
        staff=staff_choices(data["staff"], client.get("assignees") or []),
        reminders=sent_reminders(data["reminders"]), tasks=TASKS,
        may_go_to=may_go_to(client), notify_open=notify_open or reminder_error is not None,
        reminder_error=reminder_error, done=done if done in OUTCOMES else None,
        sent_to=sent_to, idempotency_key=uuid.uuid4().hex)


@router.get("/clients/{client_id:uuid}")
async def details(request: Request, client_id: UUID, rt: PortalDep, session: SessionDep,
                  api: StaffApiDep, done: str | None = None, sent: int | None = None,
                  notify: str | None = None) -> Response:
    """The page; `?notify=1` opens the Notify bookkeepers form without JavaScript."""
    return await _render(request, rt, session, api, client_id, done=done,
                         sent_to=sent if done == "reminder" else None,
                         notify_open=bool(notify) and session.is_admin)


def _back(client_id: UUID, done: str, anchor: str, **extra: int) -> RedirectResponse:
    query = "&".join([f"done={done}", *(f"{k}={v}" for k, v in extra.items())])
    return RedirectResponse(f"/clients/{client_id}?{query}#{anchor}", 303)


@router.post("/clients/{client_id:uuid}/notifications")
async def save_email_setting(request: Request, client_id: UUID, rt: PortalDep,
                             session: SessionDep, api: StaffApiDep, form: FormDep) -> Response:
    """Store my email setting; the outcome says when the first email goes out."""
    wanted = EmailSetting.from_form(form)
    saved = await api.set_notifications(client_id, email=wanted.email,
                                        frequency=wanted.frequency)
    if _is_fragment(request):
        return _fragment(rt.pages.render(request, "partials/email_status.html",
                                         session=session, notifications=saved, done="email"))
    return _back(client_id, "email", "email-settings")


@router.post("/clients/{client_id:uuid}/assignees")
async def save_assignees(client_id: UUID, api: StaffApiDep, form: FormDep) -> Response:
    """Admins: make the ticked staff the client's assignees."""
    await api.set_assignees(client_id, assignee_ids(form))
    return _back(client_id, "assignees", "assignees")


@router.post("/clients/{client_id:uuid}/reminders")
async def notify_bookkeepers(request: Request, client_id: UUID, rt: PortalDep,
                             session: SessionDep, api: StaffApiDep, form: FormDep) -> Response:
    """Admins: email the assigned bookkeepers; a refusal (409 ...) shows as an alert."""
    wanted = ReminderRequest.from_form(form)
    error, status, sent_to = None, 200, None
    if not wanted.tasks:
        error, status = words_for(session.locale)["reminder_no_task"], 422
    else:
        try:
            answer = await api.remind(client_id, tasks=list(wanted.tasks),
                                      comment=wanted.comment,
                                      idempotency_key=wanted.idempotency_key)
            sent_to = answer["recipient_count"]
        except ApiProblem as exc:
            if exc.status in (401, 404):  # signed out / not visible: the usual pages
                raise
            error = api_message(words_for(session.locale), exc.code, exc.message)
            status = exc.status
    if _is_fragment(request):
        return _fragment(rt.pages.render(request, "partials/reminder_outcome.html",
                                         session=session, status=status,
                                         reminder_error=error, sent_to=sent_to))
    if error is not None:
        return await _render(request, rt, session, api, client_id, status=status,
                             reminder_error=error)
    return _back(client_id, "reminder", "reminders", sent=sent_to)
