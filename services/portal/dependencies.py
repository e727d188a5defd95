"""What page routes get injected: the portal runtime, the session, a CSRF-checked form."""

from dataclasses import dataclass
from typing import Annotated, NamedTuple
from urllib.parse import parse_qs

from fastapi import Depends, Request

from services.portal.api_client import ClientsApi, StaffApi
from services.portal.rendering import Pages
from services.portal.sessions import Session, csrf_valid, decode_session
from services.portal.settings import PortalSettings

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"


class SignInRequired(Exception):
    """No valid session cookie: the browser is sent to the sign-in page."""


class CsrfRefused(Exception):
    """A state-changing request without this session's CSRF token (403)."""


@dataclass(frozen=True, slots=True)
class Portal:
    """What the app wires once: settings, the API client, the page renderer."""

    settings: PortalSettings
    api: ClientsApi
    pages: Pages


async def portal(request: Request) -> Portal:
    return request.app.state.portal


async def current_session(request: Request) -> Session:
    """The signed-in staff member of the cookie, or SignInRequired."""
    rt: Portal = request.app.state.portal
    session = decode_session(request.cookies.get(rt.settings.session_cookie_name),
                             rt.settings.portal_session_secret)
    if session is None:
        raise SignInRequired()
    return session


async def read_form(request: Request) -> dict[str, list[str]]:
    """An application/x-www-form-urlencoded body (the only kind our forms send)."""
    body = (await request.body()).decode("utf-8", errors="replace")
    return parse_qs(body, keep_blank_values=True, max_num_fields=100)


async def checked_form(request: Request,
                       session: Session = Depends(current_session)) -> dict[str, list[str]]:
    """The form of a state-changing request, once its CSRF token is this session's."""
    form = await read_form(request)
    offered = (form.get(CSRF_FIELD) or [request.headers.get(CSRF_HEADER)])[0]
    if not csrf_valid(session, request.app.state.portal.settings.portal_session_secret,
                      offered):
        raise CsrfRefused()
    return form


def field(form: dict[str, list[str]], name: str) -> str:
    """The first value of one form field, stripped ('' when absent)."""
    return (form.get(name) or [""])[0].strip()


async def staff_api(request: Request, session: Session = Depends(current_session)) -> StaffApi:
    """The API as the signed-in staff member."""
    return request.app.state.portal.api.as_staff(session.token, session.firm_id)


class StaffPage(NamedTuple):
    """What a list route needs, solved as one dependency (each Depends costs ~0.05 ms)."""

    rt: Portal
    session: Session
    api: StaffApi


async def staff_page(request: Request) -> StaffPage:
    """The runtime, the signed-in staff member and the API as them (SignInRequired if none)."""
    rt: Portal = request.app.state.portal
    session = await current_session(request)
    return StaffPage(rt, session, rt.api.as_staff(session.token, session.firm_id))


PortalDep = Annotated[Portal, Depends(portal)]
SessionDep = Annotated[Session, Depends(current_session)]
FormDep = Annotated[dict[str, list[str]], Depends(checked_form)]
StaffApiDep = Annotated[StaffApi, Depends(staff_api)]
StaffPageDep = Annotated[StaffPage, Depends(staff_page)]
