"""Go to client, and the stand-in for the client's own account that local runs send it to.

In production CLIENT_ACCOUNT_BASE_URL is the spend platform's account app, which checks the
grant itself; locally it points at `/client-account` here, which checks it the same way
(signature, audience, issuer, expiry) and shows what was granted.
"""

from datetime import UTC, datetime
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from services.portal.api_client import ApiProblem, ApiUnavailable
from services.portal.dependencies import FormDep, PortalDep, StaffApiDep
from services.portal.error_pages import session_of
from shared.tokens import InvalidToken, read_client_access_grant

router = APIRouter(tags=["go to client"])


@router.post("/clients/{client_id:uuid}/access")
async def go_to_client(client_id: UUID, api: StaffApiDep, _form: FormDep) -> Response:
    """Create the grant through the API and send the browser to the client's account."""
    grant = await api.access(client_id)
    return RedirectResponse(grant["url"], 303)


@router.get("/client-account/{client_id:uuid}")
async def client_account(request: Request, client_id: UUID, rt: PortalDep,
                         grant: str = "") -> Response:
    """The stand-in: a valid grant shows whose account was entered, by whom, until when."""
    session = session_of(request)
    locale = session.locale if session else None
    try:
        claims = read_client_access_grant(grant, rt.settings.grant_keys)
        if claims.get("client_id") != str(client_id):
            raise InvalidToken("invalid token: granted for another client")
    except InvalidToken as exc:
        reason = "grant_expired" if "expired" in str(exc) else "grant_invalid"
        return rt.pages.render(request, "client_account.html", session=session, locale=locale,
                               status=403, reason=reason, grant=None)
    names = await _names(rt, session, client_id, claims["staff_id"])
    return rt.pages.render(
        request, "client_account.html", session=session, locale=locale, reason=None,
        grant={"client_id": str(client_id), "staff_id": claims["staff_id"],
               "grant_id": claims.get("jti", ""),
               "expires_at": datetime.fromtimestamp(claims["exp"], UTC)}, **names)


async def _names(rt, session, client_id: UUID, staff_id: str) -> dict:
    """Names for the ids, when the same browser is signed in as the grant's staff member.

    The grant carries ids only; the real account app knows its own client, the stand-in
    asks the API as whoever is signed in, and shows ids when it cannot.
    """
    if session is None or session.staff_id != staff_id:
        return {"client_name": None, "staff_name": None}
    try:
        client = await rt.api.as_staff(session.token).client(client_id)
    except (ApiProblem, ApiUnavailable):
        return {"client_name": None, "staff_name": session.name}
    return {"client_name": client["name"], "staff_name": session.name}
