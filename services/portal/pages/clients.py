"""The Clients page: tabs, search, filters, sort, the list and its "Load more", invitations."""

import asyncio
from dataclasses import replace
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from services.portal.api_client import ApiProblem, NotSignedIn, StaffApi
from services.portal.dependencies import (FormDep, PortalDep, SessionDep, StaffApiDep,
                                          StaffPageDep, field)
from services.portal.sessions import Session
from services.portal.views.client_list import TAB_ORDER, ListState, shown_tabs
from services.portal.views.client_rows import client_rows as rows_of
from services.portal.wording import api_message, words_for

router = APIRouter(tags=["clients"])

NOTICES = {"invited", "accepted", "declined"}
ROLE_TABS = {"admin": TAB_ORDER, "bookkeeper": ("onboarding", "my")}


async def _page_of(api: StaffApi, state: ListState, limit: int, cursor: str | None) -> dict:
    """One page of the list; a cursor that no longer fits starts from the top again."""
    try:
        return await api.clients(state.api_params(limit=limit, cursor=cursor))
    except ApiProblem as exc:
        if cursor and exc.code == "invalid_cursor":
            return await api.clients(state.api_params(limit=limit))
        raise


def _list_of(page: dict, session: Session) -> dict:
    """The list's part of a template's context: rows as shown, and the next page's cursor."""
    return {"rows": rows_of(page["items"], words_for(session.locale), session.locale),
            "next_cursor": page.get("next_cursor")}


async def _staff_choices(api: StaffApi, session: Session) -> list[dict]:
    return await api.staff() if session.is_admin else []


@router.get("/clients")
async def clients_page(request: Request, page_deps: StaffPageDep) -> Response:
    """The whole page. Tabs, staff and the list are asked for at once: the tab the URL
    names is checked against the tabs afterwards (a hidden tab falls back to the default)."""
    rt, session, api = page_deps
    query = request.query_params
    state = ListState.from_query(query, tabs=ROLE_TABS.get(session.role, ("my",)),
                                 is_admin=session.is_admin)
    limit, cursor = rt.settings.clients_page_size, query.get("cursor") or None
    api_tabs, staff, page = await asyncio.gather(
        api.tabs(), _staff_choices(api, session), _page_of(api, state, limit, cursor))
    tabs = shown_tabs(api_tabs)
    if state.tab not in dict(tabs):
        state = ListState.from_query(query, tabs=[t for t, _ in tabs], is_admin=session.is_admin)
        page = await _page_of(api, state, limit, None)
    elif _lands_on_all(query, state, dict(tabs)):
        state = replace(state, tab="all")
        page = await _page_of(api, state, limit, None)
    notice = query.get("notice")
    return rt.pages.render(request, "clients.html", session=session, state=state, tabs=tabs,
                           staff=staff, continued=bool(cursor), **_list_of(page, session),
                           notice_key=f"notice_{notice}" if notice in NOTICES else None)


def _lands_on_all(query, state: ListState, counts: dict[str, int]) -> bool:
    """An admin who opens the page without a tab and has no clients of their own lands on
    All: a search there finds the firm's clients instead of answering "no match"."""
    return "tab" not in query and state.tab == "my" and counts.get("my") == 0 and "all" in counts


@router.get("/clients/rows")
async def client_rows(request: Request, page_deps: StaffPageDep) -> Response:
    """The list fragment (rows and the next "Load more"): search as you type, Load more."""
    rt, session, api = page_deps
    query = request.query_params
    state = ListState.from_query(query, is_admin=session.is_admin)
    page = await _page_of(api, state, rt.settings.clients_page_size,
                          query.get("cursor") or None)
    return rt.pages.render(request, "partials/client_list.html", session=session, state=state,
                           continued=bool(query.get("cursor")), **_list_of(page, session))


def _back_to(form: dict[str, list[str]], notice: str) -> str:
    """The list the form was sent from (only ever a /clients URL), with an outcome notice."""
    back = field(form, "back")
    if not back.startswith("/clients?") and back != "/clients":
        back = "/clients"
    joiner = "&" if "?" in back else "?"
    return f"{back}{joiner}{urlencode({'notice': notice})}"


@router.post("/invitations/{client_id}/{answer}")
async def answer_invitation(client_id: str, answer: str, form: FormDep,
                            api: StaffApiDep) -> Response:
    """Accept or Decline on an invitation row (admins)."""
    if answer not in ("accept", "decline"):
        return RedirectResponse("/clients", 303)
    await api.answer_invitation(client_id, accept=answer == "accept")
    return RedirectResponse(_back_to(form, "accepted" if answer == "accept" else "declined"),
                            303)


INVITE_FIELDS = ("name", "registration_number", "country", "contact_email")


@router.get("/clients/invite")
async def invite_page(request: Request, rt: PortalDep, session: SessionDep) -> Response:
    """The "Invite a client" form (admins; the API refuses anyone else too)."""
    if not session.is_admin:
        raise ApiProblem(403, "admin_only", "only admins may invite clients")
    return rt.pages.render(request, "invite.html", session=session,
                           values=dict.fromkeys(INVITE_FIELDS, ""), error=None, invalid=set())


@router.post("/clients/invite")
async def send_invitation(request: Request, rt: PortalDep, session: SessionDep, form: FormDep,
                          api: StaffApiDep) -> Response:
    """Send the invitation; a refusal shows the form again with the API's reason."""
    values = {name: field(form, name) for name in INVITE_FIELDS}
    try:
        await api.invite(**values)
    except NotSignedIn:
        raise
    except ApiProblem as exc:
        words = words_for(session.locale)
        return rt.pages.render(request, "invite.html", session=session, values=values,
                               status=exc.status if exc.status != 401 else 400,
                               error=api_message(words, exc.code, exc.message),
                               invalid=exc.invalid_fields())
    return RedirectResponse("/clients?tab=onboarding&notice=invited", 303)
