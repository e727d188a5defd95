"""Sessions: sign in with a staff token, sign out."""

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from services.portal.api_client import ApiProblem
from services.portal.dependencies import PortalDep, field, read_form
from services.portal.error_pages import session_of
from services.portal.sessions import Session, encode_session

router = APIRouter(tags=["sessions"])

SIGN_IN_REASONS = {"expired": "sign_in_refused", "signed_out": "signed_out"}


@router.get("/", include_in_schema=False)
async def home(request: Request) -> Response:
    """The Clients page is the home page."""
    return RedirectResponse("/clients" if session_of(request) else "/sign-in", 303)


def safe_next(target: str) -> str:
    """Where to go after signing in: a path of this site only (no open redirect)."""
    if target.startswith("/") and not target.startswith(("//", "/\\")) and \
            not any(c in target for c in "\r\n\\"):
        return target
    return "/clients"


@router.get("/sign-in")
async def sign_in_page(request: Request, rt: PortalDep, reason: str | None = None,
                       next: str = "") -> Response:
    """The sign-in form (in production the identity provider posts to /session instead)."""
    words_key = SIGN_IN_REASONS.get(reason or "")
    return rt.pages.render(request, "sign_in.html", notice_key=words_key, error_key=None,
                           next=safe_next(next) if next else "")


@router.post("/session")
async def create_session(request: Request, rt: PortalDep) -> Response:
    """Check the posted staff token against GET /v1/me; a good one gets the session cookie.

    No CSRF token here: the identity provider posts from its own origin, and a forged
    token cannot get a session (the API refuses it).
    """
    form = await read_form(request)
    token, target = field(form, "token"), safe_next(field(form, "next"))
    try:
        me = await rt.api.as_staff(token).me() if token else None
    except ApiProblem:
        me = None
    if me is None:
        response = rt.pages.render(request, "sign_in.html", status=401, notice_key=None,
                                   error_key="sign_in_refused",
                                   next=target if target != "/clients" else "")
        response.delete_cookie(rt.settings.session_cookie_name, path="/")
        return response
    response = RedirectResponse(target, 303)
    response.set_cookie(rt.settings.session_cookie_name,
                        encode_session(Session.of(token, me), rt.settings.portal_session_secret),
                        httponly=True, samesite="lax", secure=rt.settings.cookie_secure,
                        path="/")
    return response


@router.post("/sign-out")
async def sign_out(rt: PortalDep) -> Response:
    """End the session (the cookie goes; the token itself expires at the platform).

    No CSRF check: the worst a forged sign-out does is sign someone out.
    """
    response = RedirectResponse("/sign-in?reason=signed_out", 303)
    response.delete_cookie(rt.settings.session_cookie_name, path="/",
                           secure=rt.settings.cookie_secure, httponly=True, samesite="lax")
    return response
