"""The unsubscribe link of every digest: a page in the recipient's language, and RFC 8058.

No session and no CSRF token: the signed token in the link is the whole authority (it names
one staff member and the clients of one digest), and a mail client's one-click POST
(`List-Unsubscribe=One-Click`, RFC 8058) carries no cookies. GET only asks (mail scanners
follow links); POST turns the emails off through the clients service's /v1/unsubscribe.
The link names the language (`lang`): the portal cannot look the recipient up.
"""

from fastapi import APIRouter, Request
from fastapi.responses import Response

from services.portal.api_client import ApiProblem
from services.portal.dependencies import PortalDep
from services.portal.error_pages import session_of
from services.portal.wording import WORDS
from shared.formatting import DEFAULT_LOCALE
from shared.tokens import InvalidToken, read_unsubscribe_token

router = APIRouter(tags=["unsubscribe"])


def _locale(request: Request, lang: str) -> str:
    """The link's language; else the signed-in reader's; else English."""
    if lang in WORDS:
        return lang
    session = session_of(request)
    return session.locale if session and session.locale in WORDS else DEFAULT_LOCALE


def _refused(request: Request, rt: PortalDep, locale: str) -> Response:
    return rt.pages.render(request, "unsubscribe.html", locale=locale, status=400,
                           state="invalid", count=0, token="", lang=locale)


@router.get("/unsubscribe")
async def ask(request: Request, rt: PortalDep, token: str = "", lang: str = "") -> Response:
    """The question and its button; changes nothing."""
    locale = _locale(request, lang)
    try:
        _, client_ids = read_unsubscribe_token(token, rt.settings.unsubscribe_keys)
    except InvalidToken:
        return _refused(request, rt, locale)
    return rt.pages.render(request, "unsubscribe.html", locale=locale, state="ask",
                           count=len(client_ids), token=token, lang=locale)


@router.post("/unsubscribe")
async def unsubscribe(request: Request, rt: PortalDep, token: str = "",
                      lang: str = "") -> Response:
    """Turn the emails off (the page's button and a mail client's one-click POST)."""
    locale = _locale(request, lang)
    try:
        answer = await rt.api.call("POST", "/v1/unsubscribe", params={"token": token},
                                   headers={"Accept": "application/json"})
    except ApiProblem as problem:
        if problem.status in (400, 422):
            return _refused(request, rt, locale)
        raise
    return rt.pages.render(request, "unsubscribe.html", locale=locale, state="done",
                           count=len(answer["client_ids"]), token="", lang=locale)
