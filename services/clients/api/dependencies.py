"""What routes get injected: the runtime, the authenticated staff member, internal callers."""

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Annotated
from uuid import UUID

import asyncpg
from fastapi import Depends, Request

from services.clients.db.directory import Directory
from services.clients.db.unit_of_work import ClientsUnitOfWork
from services.clients.domain.visibility import Caller
from services.clients.runtime import Runtime
from services.clients.service_layer.visibility import active_caller
from shared.http.bearer import internal_caller_check, required_bearer_token
from shared.http.errors import Unauthorized
from shared.tokens import InvalidToken, read_staff_token


async def runtime(request: Request) -> Runtime:
    """The app's runtime (async: FastAPI would run a plain function in a worker thread)."""
    return request.app.state.runtime


async def unit_of_work(request: Request) -> ClientsUnitOfWork:
    """A new unit of work for the route's use case (the service layer enters it)."""
    return request.app.state.runtime.unit_of_work()


UowDep = Annotated[ClientsUnitOfWork, Depends(unit_of_work)]


def token_staff_id(rt: Runtime, request: Request) -> UUID:
    """The staff id the request's bearer token names (401 when there is no valid token)."""
    try:
        return read_staff_token(required_bearer_token(request), rt.settings.staff_keys,
                                accept_dev=not rt.settings.is_production)
    except InvalidToken as exc:
        raise Unauthorized(str(exc), code="invalid_token") from None


def no_active_staff() -> Unauthorized:
    return Unauthorized("the token names no active staff member", code="invalid_token")


async def read_caller(rt: Runtime, conn: asyncpg.Connection, request: Request) -> Caller:
    """The token's staff member as the database knows them now (401 when not active)."""
    caller = active_caller(await Directory(conn).staff(token_staff_id(rt, request)))
    if caller is None:
        raise no_active_staff()
    return caller


async def current_staff(request: Request) -> Caller:
    """The caller, with role and firm read from the database now (never from the token)."""
    rt = request.app.state.runtime
    async with rt.pool.acquire() as conn:
        return await read_caller(rt, conn, request)


@dataclass(frozen=True, slots=True)
class Reader:
    """The caller and the one connection a read-only route does all its queries on."""

    caller: Caller
    conn: asyncpg.Connection


async def staff_reader(request: Request) -> AsyncIterator[Reader]:
    """current_staff for the hot read routes: one pooled connection serves the whole request.

    Only for routes that never take a second connection (that could exhaust the pool).
    """
    rt = request.app.state.runtime
    async with rt.pool.acquire() as conn:
        yield Reader(await read_caller(rt, conn, request), conn)


internal_caller = internal_caller_check(
    lambda request: request.app.state.runtime.settings.internal_api_token,
    message="a valid internal token is required", code="invalid_token", tell_missing=True)
