"""The Clients page: tabs with counts, one page of a tab, one client."""

import json
from uuid import UUID

import asyncpg

from services.clients.db import listing as db
from services.clients.db.directory import Directory
from services.clients.db.links import Links
from services.clients.domain.errors import DomainError, NotFound
from services.clients.domain.listing import ListPlan, ListRequest, next_cursor, plan_list
from services.clients.domain.visibility import Caller, tabs_for
from services.clients.runtime import Runtime
from services.clients.service_layer.visibility import active_caller, visible_link


async def tabs(conn: asyncpg.Connection, caller: Caller) -> list[dict]:
    counts = await db.tab_counts(conn, firm_id=caller.firm_id, viewer_id=caller.id,
                                 admin=caller.is_admin)
    return tabs_for(caller.role, counts)


def caller_of(row) -> Caller | None:
    """The caller a staff row describes, or None when there is no active staff member."""
    if row is None or not row["active"]:
        return None
    return Caller(id=row["id"], firm_id=row["firm_id"], role=row["role"], name=row["name"],
                  email=row["email"], locale=row["locale"])


async def page(rt: Runtime, conn: asyncpg.Connection, staff_id: UUID,
               req: ListRequest) -> bytes | None:
    """One page as a JSON document {"items": [...], "next_cursor": str | null} for the
    staff member a valid token names; None when there is no such active staff member.

    The page is planned for the staff member as this process last saw them, and its
    statement reads their row again in the page's snapshot: when they changed (or were
    never seen), the row is read first and the page planned for who they are now.
    """
    secret = rt.settings.auth_jwt_secret
    known = rt.known_callers.get(staff_id)
    if known is not None:
        try:
            plan = plan_list(known, req, secret)
        except DomainError:  # perhaps allowed to who they are now: read them first
            plan = None
        if plan is not None:
            row = await db.read_page(conn, plan)
            if caller_of(row) == known:
                return _document(plan, row, secret)
        rt.known_callers.forget(staff_id)
    caller = active_caller(await Directory(conn).staff(staff_id))
    if caller is None:
        return None
    plan = plan_list(caller, req, secret)
    row = await db.read_page(conn, plan)
    if caller_of(row) != caller:  # changed between the two statements: answer as unknown
        return None
    rt.known_callers.remember(caller)
    return _document(plan, row, secret)


def _document(plan: ListPlan, row, secret: str) -> bytes:
    """The page's JSON: the items come finished from the database and are used as they are."""
    cursor = None
    if row["count"] > plan.limit:
        cursor = next_cursor(plan, row["last_tier"], row["last_value"], row["last_id"], secret)
    return f'{{"items":[{row["items"]}],"next_cursor":{json.dumps(cursor)}}}'.encode()


async def one(rt: Runtime, conn: asyncpg.Connection, caller: Caller, client_id: UUID) -> bytes:
    """One client as in the list (with my notification setting), if the caller may see it."""
    await visible_link(Links(conn), caller, client_id)
    item = await db.read_item(conn, firm_id=caller.firm_id, viewer_id=caller.id,
                              client_id=client_id)
    if item is None:  # unlinked between the check and the read
        raise NotFound("no such client", code="client_not_found")
    return item.encode()
