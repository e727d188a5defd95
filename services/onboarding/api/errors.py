"""How the service's domain errors answer over HTTP (in the one shared error shape)."""

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from services.onboarding.domain.case_states import IllegalTransition
from services.onboarding.domain.cases import CaseIdTaken, CaseNotFound
from shared.http.errors import error_body


def install_domain_error_handlers(app: FastAPI) -> None:
    """Map CaseNotFound -> 404, CaseIdTaken -> 409, IllegalTransition -> 409."""

    @app.exception_handler(CaseNotFound)
    async def _not_found(_: Request, exc: CaseNotFound) -> JSONResponse:
        return JSONResponse(error_body("case_not_found", str(exc),
                                       {"case_id": str(exc.case_id)}), 404)

    @app.exception_handler(CaseIdTaken)
    async def _id_taken(_: Request, exc: CaseIdTaken) -> JSONResponse:
        return JSONResponse(error_body("case_id_taken", str(exc),
                                       {"case_id": str(exc.case_id)}), 409)

    @app.exception_handler(IllegalTransition)
    async def _illegal(_: Request, exc: IllegalTransition) -> JSONResponse:
        details = {"current_state": exc.current, "event": exc.event,
                   "requested_state": exc.target}
        return JSONResponse(error_body("illegal_transition", str(exc), details), 409)
