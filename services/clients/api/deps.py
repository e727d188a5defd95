"""What routes get injected: the runtime, the authenticated staff member, internal callers."""

import hmac
from collections.abc import AsyncIterator
from dataclasses import dataclass
from uuid import UUID

import asyncpg
from fastapi import Request

from services.clients.db.directory import get_staff
from services.clients.domain.visibility import Caller
from services.clients.runtime import Runtime
from shared.http.errors import Unauthorized
from shared.tokens import InvalidToken, read_staff_token


def runtime(request: Request) -> Runtime:
    return request.app.state.runtime


def _bearer(request: Request) -> str:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("a bearer token is required", code="missing_token")
    return token.strip()


async def _caller(rt: Runtime, conn: asyncpg.Connection | asyncpg.Pool,
                  request: Request) -> Caller:
    try:
        staff_id: UUID = read_staff_token(_bearer(request), rt.settings.auth_jwt_secret)
    except InvalidToken as exc:
        raise Unauthorized(str(exc), code="invalid_token") from None
    row = await get_staff(conn, staff_id)
    if row is None or not row["active"]:
        raise Unauthorized("the token names no active staff member", code="invalid_token")
    return Caller(id=row["id"], firm_id=row["firm_id"], role=row["role"], name=row["name"],
                  email=row["email"], locale=row["locale"])


async def current_staff(request: Request) -> Caller:
    """The caller, with role and firm read from the database now (never from the token)."""
    rt = runtime(request)
    return await _caller(rt, rt.pool, request)


@dataclass(frozen=True, slots=True)
class Reader:
    """The caller and the one connection a read-only route does all its queries on."""

    caller: Caller
    conn: asyncpg.Connection


async def staff_reader(request: Request) -> AsyncIterator[Reader]:
    """current_staff for the hot read routes: one pooled connection serves the whole request.

    Only for routes that never take a second connection (that could exhaust the pool).
    """
    rt = runtime(request)
    async with rt.pool.acquire() as conn:
        yield Reader(await _caller(rt, conn, request), conn)


def internal_caller(request: Request) -> None:
    """Let through only `Authorization: Bearer <INTERNAL_API_TOKEN>`."""
    expected = runtime(request).settings.internal_api_token
    if not hmac.compare_digest(_bearer(request).encode(), expected.encode()):
        raise Unauthorized("a valid internal token is required", code="invalid_token")
