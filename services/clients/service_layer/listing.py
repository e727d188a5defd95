"""The Clients page: tabs with counts, one page of a tab, one client."""

import json
from uuid import UUID

import asyncpg

from services.clients.db import listing as db
from services.clients.domain.errors import NotFound
from services.clients.domain.listing import ListRequest, next_cursor, plan_list
from services.clients.domain.visibility import Caller, tabs_for
from services.clients.runtime import Runtime
from services.clients.service_layer.visibility import visible_link


async def tabs(conn: asyncpg.Connection, caller: Caller) -> list[dict]:
    counts = await db.tab_counts(conn, firm_id=caller.firm_id, viewer_id=caller.id,
                                 admin=caller.is_admin)
    return tabs_for(caller.role, counts)


async def page(rt: Runtime, conn: asyncpg.Connection, caller: Caller,
               req: ListRequest) -> bytes:
    """One page as a JSON document: {"items": [...], "next_cursor": str | null}.

    Items arrive from the database as finished JSON text and are joined as they are;
    this keeps a 200-item page cheap for the API process.
    """
    secret = rt.settings.auth_jwt_secret
    plan = plan_list(caller, req, secret)
    rows = await db.read_page(conn, plan)
    cursor = None
    if len(rows) > plan.limit:
        rows = rows[:plan.limit]
        last = rows[-1]
        cursor = next_cursor(plan, last["sort_value"], last["client_id"], secret)
    items = ",".join(r["item"] for r in rows)
    return f'{{"items":[{items}],"next_cursor":{json.dumps(cursor)}}}'.encode()


async def one(rt: Runtime, conn: asyncpg.Connection, caller: Caller, client_id: UUID) -> bytes:
    """One client as in the list (with my notification setting), if the caller may see it."""
    await visible_link(rt, caller, client_id, conn=conn)
    item = await db.read_item(conn, firm_id=caller.firm_id, viewer_id=caller.id,
                              client_id=client_id)
    if item is None:  # unlinked between the check and the read
        raise NotFound("no such client", code="client_not_found")
    return item.encode()
