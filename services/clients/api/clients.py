"""The Clients page: who I am, tabs, the list, one client."""

from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Response

from services.clients.api.deps import Reader, current_staff, runtime, staff_reader
from services.clients.domain.listing import ListRequest
from services.clients.domain.search import MAX_QUERY_LENGTH
from services.clients.domain.visibility import Caller
from services.clients.runtime import Runtime
from services.clients.service_layer import listing

router = APIRouter(prefix="/v1", tags=["clients"])

JSON = "application/json"


@router.get("/me")
async def me(caller: Caller = Depends(current_staff)) -> dict:
    """The caller as the database knows them."""
    return {"id": caller.id, "firm_id": caller.firm_id, "name": caller.name,
            "email": caller.email, "role": caller.role, "locale": caller.locale}


@router.get("/clients/tabs")
async def tabs(reader: Reader = Depends(staff_reader)) -> list[dict]:
    """The tabs of my role with their counts; empty invitations/onboarding left out."""
    return await listing.tabs(reader.conn, reader.caller)


@router.get("/clients")
async def list_clients(
    reader: Reader = Depends(staff_reader),
    rt: Runtime = Depends(runtime),
    tab: Literal["invitations", "onboarding", "my", "all"] | None = None,
    q: Annotated[str | None, Query(max_length=MAX_QUERY_LENGTH)] = None,
    missing_receipts: bool = False,
    assignee: UUID | None = None,
    sort: Literal["name", "missing_receipts", "ready_for_export"] = "name",
    order: Literal["asc", "desc"] | None = None,
    limit: Annotated[int | None, Query(ge=1, le=200)] = None,
    cursor: Annotated[str | None, Query(max_length=1000)] = None,
) -> Response:
    """One page of a tab: search, filters, sort, keyset cursor."""
    req = ListRequest(tab=tab, q=q, missing_receipts=missing_receipts, assignee=assignee,
                      sort=sort, order=order, limit=limit or rt.settings.list_default_limit,
                      cursor=cursor or None)
    return Response(await listing.page(rt, reader.conn, reader.caller, req), media_type=JSON)


@router.get("/clients/{client_id}")
async def get_client(client_id: UUID, reader: Reader = Depends(staff_reader),
                     rt: Runtime = Depends(runtime)) -> Response:
    """One client as in the list, with my notification setting."""
    return Response(await listing.one(rt, reader.conn, reader.caller, client_id),
                    media_type=JSON)
