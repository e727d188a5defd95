"""What a browser sees when something fails: a page in the reader's language, never a trace.

No session -> the sign-in page (303); the API says the token is no longer good -> the
session ends and the sign-in page says why; the API down -> a "try again" page with 503;
a 4xx of the API that no page handled itself -> its readable message with that status.
"""

import logging
import uuid
from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from services.portal.api_client import ApiProblem, ApiUnavailable, NotSignedIn
from services.portal.dependencies import CsrfRefused, Portal, SignInRequired
from services.portal.sessions import Session, decode_session
from services.portal.wording import api_message, words_for

log = logging.getLogger(__name__)


def session_of(request: Request) -> Session | None:
    """The request's session if it has a valid cookie (for the language of an error page)."""
    rt: Portal = request.app.state.portal
    return decode_session(request.cookies.get(rt.settings.session_cookie_name),
                          rt.settings.portal_session_secret)


def to_sign_in(request: Request, reason: str | None = None) -> Response:
    """303 to the sign-in page; scripts asking for a fragment get 401 and a header instead."""
    params = {"reason": reason} if reason else {}
    if request.headers.get("x-portal-fragment"):
        target = "/sign-in" + (f"?{urlencode(params)}" if params else "")
        return Response(status_code=401, headers={"X-Portal-Location": target})
    if request.method == "GET" and request.url.path != "/":  # back here once signed in
        query = request.url.query
        params["next"] = request.url.path + (f"?{query}" if query else "")
    return RedirectResponse("/sign-in" + (f"?{urlencode(params)}" if params else ""), 303)


def error_page(request: Request, status: int, title_key: str, text: str, *,
               retry: bool = False) -> Response:
    rt: Portal = request.app.state.portal
    session = session_of(request)
    words = words_for(session.locale if session else None)
    return rt.pages.render(request, "error.html", session=session, status=status,
                           title=words[title_key], text=text, retry=retry)


def install_error_pages(app: FastAPI) -> None:
    """Turn every failure of `app` into one of the pages above."""

    @app.exception_handler(SignInRequired)
    async def _no_session(request: Request, _: SignInRequired) -> Response:
        return to_sign_in(request)

    @app.exception_handler(NotSignedIn)
    async def _token_refused(request: Request, _: NotSignedIn) -> Response:
        response = to_sign_in(request, "expired")
        response.delete_cookie(request.app.state.portal.settings.session_cookie_name, path="/")
        return response

    @app.exception_handler(CsrfRefused)
    async def _csrf(request: Request, _: CsrfRefused) -> Response:
        words = words_for(getattr(session_of(request), "locale", None))
        return error_page(request, 403, "csrf_title", words["csrf_text"])

    @app.exception_handler(ApiUnavailable)
    async def _unavailable(request: Request, exc: ApiUnavailable) -> Response:
        log.warning("clients API unavailable", extra={"path": request.url.path,
                                                      "error": str(exc)})
        words = words_for(getattr(session_of(request), "locale", None))
        response = error_page(request, 503, "unavailable_title", words["unavailable_text"],
                              retry=True)
        response.headers["Retry-After"] = "5"
        return response

    @app.exception_handler(ApiProblem)
    async def _refused(request: Request, exc: ApiProblem) -> Response:
        words = words_for(getattr(session_of(request), "locale", None))
        title = "not_found_title" if exc.status == 404 else "error_title"
        return error_page(request, exc.status, title, api_message(words, exc.code, exc.message))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        words = words_for(getattr(session_of(request), "locale", None))
        if exc.status_code == 404:
            return error_page(request, 404, "not_found_title", words["not_found_text"])
        return error_page(request, exc.status_code, "error_title", str(exc.detail))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        request_id = str(uuid.uuid4())
        log.error("unhandled error", exc_info=exc,
                  extra={"request_id": request_id, "path": request.url.path})
        words = words_for(getattr(session_of(request), "locale", None))
        return error_page(request, 500, "error_title", f"{words['try_again']} ({request_id})",
                          retry=True)
