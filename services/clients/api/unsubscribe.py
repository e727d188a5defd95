"""One-click unsubscribe from digests (RFC 8058), reached from a link in every digest.

GET shows a confirmation page and changes nothing (mail scanners follow links); POST, the
one-click request a mail client sends (`List-Unsubscribe=One-Click`), turns the emails off.
"""

import html
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Request, Response
from fastapi.encoders import jsonable_encoder
from fastapi.responses import HTMLResponse, JSONResponse

from services.clients.api.dependencies import UowDep, runtime
from services.clients.api.responses import UnsubscribedOut
from services.clients.runtime import Runtime
from services.clients.service_layer import directory, notifications
from shared.http.errors import BadRequest, error_responses
from shared.http.text import SINGLE_LINE
from shared.tokens import InvalidToken, read_unsubscribe_token

router = APIRouter(prefix="/v1", tags=["unsubscribe"], responses=error_responses(400, 422))

Token = Annotated[str | None, SINGLE_LINE]

PAGE = {"content": {"text/html": {"schema": {"type": "string"}}}}

TEXT = {
    "en": {"title": "Unsubscribe from client digests",
           "ask": "Stop the email digests for {n} client(s)?", "button": "Unsubscribe",
           "done": "You will no longer receive email digests for these clients."},
    "nl": {"title": "Afmelden voor klantoverzichten",
           "ask": "De e-mailoverzichten voor {n} klant(en) stoppen?", "button": "Afmelden",
           "done": "U ontvangt geen e-mailoverzichten meer voor deze klanten."},
}


def _read(rt: Runtime, token: str | None) -> tuple[UUID, list[UUID]]:
    if not token:
        raise BadRequest("the token parameter is required", code="missing_token")
    try:
        return read_unsubscribe_token(token, rt.settings.unsubscribe_keys)
    except InvalidToken as exc:
        raise BadRequest(f"this unsubscribe link is not valid ({exc})",
                         code="invalid_token") from None


def _page(title: str, body: str) -> str:
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title></head>"
            f"<body><h1>{title}</h1>{body}</body></html>")


async def _texts(uow: UowDep, staff_id: UUID) -> dict:
    return TEXT.get(await directory.staff_locale(uow, staff_id) or "en", TEXT["en"])


# Documented by hand: response_class=HTMLResponse would show the JSON errors as HTML too.
@router.get("/unsubscribe", response_class=Response, responses={200: PAGE})
async def confirm(uow: UowDep, token: Token = None,
                  rt: Runtime = Depends(runtime)) -> HTMLResponse:
    """A confirmation page with a button; changes nothing."""
    staff_id, client_ids = _read(rt, token)
    t = await _texts(uow, staff_id)
    form = (f"<p>{html.escape(t['ask'].format(n=len(client_ids)))}</p>"
            f"<form method='post' action='?token={html.escape(token, quote=True)}'>"
            "<input type='hidden' name='List-Unsubscribe' value='One-Click'>"
            f"<button type='submit'>{html.escape(t['button'])}</button></form>")
    return HTMLResponse(_page(html.escape(t["title"]), form))


# JSON, or a page for a browser (Accept: text/html).
@router.post("/unsubscribe", response_model=UnsubscribedOut,
             responses={200: PAGE, **error_responses(404)})
async def one_click(request: Request, uow: UowDep, token: Token = None,
                    rt: Runtime = Depends(runtime)) -> Response:
    """Turn off the email setting of the token's staff member for its clients; repeatable."""
    staff_id, client_ids = _read(rt, token)
    result = await notifications.unsubscribe(uow, staff_id, client_ids)
    if "text/html" in request.headers.get("accept", ""):
        t = await _texts(uow, staff_id)
        return HTMLResponse(_page(html.escape(t["title"]), f"<p>{html.escape(t['done'])}</p>"))
    return JSONResponse(jsonable_encoder(result))
