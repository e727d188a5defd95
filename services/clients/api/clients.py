"""The Clients page: who I am, my firm's staff, tabs, the list, one client."""

import json
from uuid import UUID

from fastapi import APIRouter, Depends, Request, Response
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError

from services.clients.api.dependencies import (Reader, UowDep, current_staff, no_active_staff,
                                               runtime, read_caller, staff_reader,
                                               token_staff_id)
from services.clients.api.responses import ClientOut, ClientPageOut, MeOut, StaffListOut, TabOut
from services.clients.api.schemas import ListParams
from services.clients.domain.listing import ListRequest
from services.clients.domain.visibility import Caller
from services.clients.runtime import Runtime
from services.clients.service_layer import assignments, listing
from shared.http.errors import error_responses

router = APIRouter(prefix="/v1", tags=["clients"], responses=error_responses(401))

JSON = "application/json"


@router.get("/me", response_model=MeOut)
async def me(caller: Caller = Depends(current_staff)) -> dict:
    """The caller as the database knows them."""
    return {"id": caller.id, "firm_id": caller.firm_id, "name": caller.name,
            "email": caller.email, "role": caller.role, "locale": caller.locale}


@router.get("/staff", response_model=StaffListOut, responses=error_responses(403))
async def staff(uow: UowDep, caller: Caller = Depends(current_staff)) -> dict:
    """Admins: the active staff of my firm, by name (whom clients can be assigned to)."""
    return {"items": await assignments.assignable_staff(uow, caller)}


@router.get("/clients/tabs", response_model=list[TabOut])
async def tabs(request: Request) -> Response:
    """The tabs of my role with their counts; empty invitations/onboarding left out.

    Like the list, asked for on every load of the Clients page: JSON written here, no
    dependency to solve (1,090-1,324 -> 1,649-1,656 requests/s, docs/BENCHMARKS.md).
    """
    rt: Runtime = request.app.state.runtime
    async with rt.pool.acquire() as conn:
        caller = await read_caller(rt, conn, request)
        counts = await listing.tabs(conn, caller)
    return Response(json.dumps(counts, separators=(",", ":")), media_type=JSON)


def _query_parameters() -> list[dict]:
    """The OpenAPI description of ListParams as query parameters (the route reads them itself)."""
    schema = ListParams.model_json_schema()
    return [{"name": name, "in": "query", "required": False, "schema": prop}
            for name, prop in schema["properties"].items()]


# The page is JSON text finished by the database and returned as it is: the model only
# documents it (nothing validates or filters the hot path's answer).
@router.get("/clients", response_model=ClientPageOut, responses=error_responses(400, 403, 422),
            openapi_extra={"parameters": _query_parameters()})
async def list_clients(request: Request) -> Response:
    """One page of a tab: search, filters, sort, keyset cursor.

    The hottest route takes no FastAPI dependencies or parameters: their solving and
    per-parameter validation cost more CPU than the page's SQL. The checks stay the same
    and in the same order: token (401), the staff member (401), query string (422), role
    and cursor (403/400) - the last three inside `listing.page`.
    """
    rt: Runtime = request.app.state.runtime
    staff_id = token_staff_id(rt, request)
    async with rt.pool.acquire() as conn:
        try:
            params = ListParams.model_validate(request.query_params)
        except ValidationError as exc:
            await read_caller(rt, conn, request)  # an unknown staff member is told so first
            raise RequestValidationError(
                [dict(e, loc=("query", *e["loc"])) for e in exc.errors()]) from None
        req = ListRequest(tab=params.tab, q=params.q, missing_receipts=params.missing_receipts,
                          assignee=params.assignee, sort=params.sort, order=params.order,
                          limit=params.limit or rt.settings.list_default_limit,
                          cursor=params.cursor or None)
        document = await listing.page(rt, conn, staff_id, req)
    if document is None:
        raise no_active_staff()
    return Response(document, media_type=JSON)


@router.get("/clients/{client_id}", response_model=ClientOut,
            responses=error_responses(404, 422))
async def get_client(client_id: UUID, reader: Reader = Depends(staff_reader),
                     rt: Runtime = Depends(runtime)) -> Response:
    """One client as in the list, with my notification setting."""
    return Response(await listing.one(rt, reader.conn, reader.caller, client_id),
                    media_type=JSON)
