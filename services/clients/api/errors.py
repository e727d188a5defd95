"""How the clients domain's errors answer over HTTP, in the one shared error shape."""

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from services.clients.domain import errors as domain
from shared.http.errors import error_body

STATUS = {domain.NotFound: 404, domain.UnknownFirm: 404, domain.NotAllowed: 403,
          domain.Conflict: 409, domain.Invalid: 422, domain.BadCursor: 400}


def install_domain_error_handlers(app: FastAPI) -> None:
    """NotFound/UnknownFirm 404, NotAllowed 403, Conflict 409, Invalid 422, BadCursor 400."""

    @app.exception_handler(domain.DomainError)
    async def _domain_error(_: Request, exc: domain.DomainError) -> JSONResponse:
        status = next((s for cls, s in STATUS.items() if isinstance(exc, cls)), 400)
        return JSONResponse(error_body(exc.code, exc.message, exc.details), status)
