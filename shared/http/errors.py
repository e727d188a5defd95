"""One error shape for every HTTP error: {"error": {"code", "message", "details"?}}.

HTTP code raises `ApiError` subclasses; domain exceptions know nothing of HTTP and each
service maps its own in `api/errors.py`. Anything unexpected becomes a 500 with a request
id, never a stack trace in the body.
"""

import logging
import uuid
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger(__name__)

STATUS_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
                405: "method_not_allowed", 409: "conflict", 413: "payload_too_large",
                415: "unsupported_media_type", 422: "validation_error",
                429: "too_many_requests"}


class ApiError(Exception):
    """An error the caller can act on; `status` and `code` say which."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str, *, code: str | None = None, status: int | None = None,
                 details: Any = None):
        super().__init__(message)
        self.message = message
        self.code = code or self.code
        self.status = status or self.status
        self.details = details


class BadRequest(ApiError):
    status, code = 400, "bad_request"


class Unauthorized(ApiError):
    status, code = 401, "unauthorized"


class Unprocessable(ApiError):
    status, code = 422, "validation_error"


class ErrorDetail(BaseModel):
    code: str
    message: str
    # Left out of the body when there are none.
    details: Any = None


class ErrorBody(BaseModel):
    """The one error shape, as /docs shows it (handlers build it with `error_body`)."""

    error: ErrorDetail


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """A route's `responses=`: each error status it may answer, in the one error shape."""
    return {status: {"model": ErrorBody, "description": STATUS_CODES[status].replace("_", " ")}
            for status in statuses}


def error_body(code: str, message: str, details: Any = None) -> dict:
    error = {"code": code, "message": message}
    if details is not None:
        error["details"] = details
    return {"error": error}


def _validation_details(exc: RequestValidationError) -> list[dict]:
    return [{"location": ".".join(str(p) for p in e["loc"]), "message": e["msg"]}
            for e in exc.errors()]


def install_error_handlers(app: FastAPI) -> None:
    """Make every error of `app` answer in the one JSON shape."""

    @app.exception_handler(ApiError)
    async def _api_error(_: Request, exc: ApiError) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
        return JSONResponse(error_body(exc.code, exc.message, exc.details), exc.status,
                            headers=headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse(
            error_body("validation_error", "the request is not valid", _validation_details(exc)),
            422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = STATUS_CODES.get(exc.status_code, "error")
        message = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
        return JSONResponse(error_body(code, message), exc.status_code,
                            headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        request_id = str(uuid.uuid4())
        log.error("unhandled error", exc_info=exc,
                  extra={"request_id": request_id, "path": request.url.path})
        return JSONResponse(
            error_body("internal_error", "something went wrong on our side",
                       {"request_id": request_id}), 500)
