"""The Clients page read model: one keyset range scan per page, items as ready JSON text.

A page is read in one statement: the inner query walks one composite index (firm, state,
sort key, id) of `links`, or (staff, state, sort key, id) of `assignments` for "my" lists,
from the cursor on; the outer query turns each page row into its item with
`clients.list_item` (migration 0010, where the item is defined), so neither the database
nor the API process builds objects per request. Assignments always belong to the staff
member's own firm (composite foreign key), so the staff id alone scopes them to the firm.
"""

from uuid import UUID

import asyncpg

from services.clients.domain.listing import ListPlan
from services.clients.domain.notifications import OFF
from services.clients.domain.visibility import VISIBLE_STATES, tab_of

SORT_COLUMN = {"name": "name_key", "missing_receipts": "missing_receipts",
               "ready_for_export": "ready_for_export"}


def tab_case(state: str, mine: str) -> str:
    """`tab_of` as SQL: the tab of a link in `state`, assigned to the viewer when `mine`."""
    def tab(link_state: str) -> str:
        if tab_of(link_state, True) == tab_of(link_state, False):
            return f"'{tab_of(link_state, False)}'"
        return (f"case when {mine} then '{tab_of(link_state, True)}'"
                f" else '{tab_of(link_state, False)}' end")
    whens = " ".join(f"when '{s}' then {tab(s)}" for s in VISIBLE_STATES)
    return f"case {state} {whens} end"


# The item of link `l` for the viewer $2, whose notification setting for it is `n`.
ITEM_JSON = f"""clients.list_item(
    l.item_head, {tab_case("l.state", "$2 = any(l.assignee_ids)")},
    coalesce(n.email, {str(OFF.email).lower()}), coalesce(n.frequency, '{OFF.frequency}'),
    n.first_digest_at)"""

DECORATION = """
    left join clients.notification_preferences n on n.staff_id = $2
                                                and n.client_id = l.client_id"""


def page_query(plan: ListPlan) -> tuple[str, list]:
    """SQL and arguments of one page (limit + 1 rows, to know whether there is a next)."""
    args: list = [plan.firm_id, plan.viewer_id, plan.state]

    def arg(value) -> str:
        args.append(value)
        return f"${len(args)}"

    col = SORT_COLUMN[plan.sort]
    direction = "desc" if plan.descending else "asc"
    if plan.assigned_to is None:
        source, where = "clients.links d", ["d.firm_id = $1", "d.state = $3"]
    else:
        source, where = "clients.assignments d", [f"d.staff_id = {arg(plan.assigned_to)}",
                                                  "d.state = $3"]
    if plan.missing_only:
        where.append("d.missing_receipts > 0")  # the predicate of the partial indexes
    if plan.pattern is not None:
        match = f"search_key like clients.fold_text({arg(plan.pattern)})"
        where.append(f"d.{match}" if plan.assigned_to is None else
                     "exists (select 1 from clients.links sl where sl.firm_id = $1"
                     f" and sl.client_id = d.client_id and sl.{match})")
    if plan.also_assigned_to is not None:
        where.append("exists (select 1 from clients.assignments m where m.firm_id = $1"
                     " and m.client_id = d.client_id"
                     f" and m.staff_id = {arg(plan.also_assigned_to)})")
    if plan.after is not None:
        value, after_id = plan.after
        cast = 'text collate "C"' if plan.sort == "name" else "integer"
        where.append(f"(d.{col}, d.client_id) {'<' if plan.descending else '>'}"
                     f" ({arg(value)}::{cast}, {arg(after_id)}::uuid)")
    order = f"{col} {direction}, client_id {direction}"
    sql = f"""
        with page as (
            select d.client_id, d.{col} as sort_value from {source}
             where {' and '.join(where)}
             order by d.{order}
             limit {arg(plan.limit + 1)})
        select p.client_id, p.sort_value, {ITEM_JSON} as item
          from page p
          join clients.links l on l.firm_id = $1 and l.client_id = p.client_id
          {DECORATION}
         order by p.sort_value {direction}, p.client_id {direction}"""
    return sql, args


STAFF_OF_VIEWER = "select id, firm_id, email, name, role, locale, active from clients.staff"


def page_document_query(plan: ListPlan) -> tuple[str, list]:
    """The viewer's staff row and their page, in one statement (one round trip).

    One row, or none when the viewer ($2) is unknown: the staff columns (the caller reads
    role, firm and `active` from them on every request), `items` = the page's items joined
    by commas in page order, and the (sort value, id) of the last item when there is a
    next page. The page is read for the firm and role the plan was made for; the caller
    compares them with the staff columns and discards the page when they differ.
    """
    rows_sql, args = page_query(plan)
    limit = len(args) + 1
    args.append(plan.limit)
    direction = "desc" if plan.descending else "asc"
    sql = f"""
        with page as materialized (
            select row_number() over (order by r.sort_value {direction},
                                               r.client_id {direction}) as n, r.*
              from ({rows_sql}) r)
        select s.*,
               (select coalesce(string_agg(item, ',' order by n), '')
                  from page where n <= ${limit}) as items,
               (select sort_value from page where n = ${limit}
                   and exists (select 1 from page where n > ${limit})) as last_value,
               (select client_id from page where n = ${limit}
                   and exists (select 1 from page where n > ${limit})) as last_id
          from ({STAFF_OF_VIEWER} where id = $2) s"""
    return sql, args


async def read_page(conn: asyncpg.Connection, plan: ListPlan) -> asyncpg.Record | None:
    """The viewer's staff row with the page (see `page_document_query`); None: no such staff.

    A search is planned for its own pattern: a rare one walks the trigram index, a common
    one the name order; a cached generic plan would pick one for all.
    """
    sql, args = page_document_query(plan)
    if plan.pattern is None:
        return await conn.fetchrow(sql, *args)
    await conn.execute("set plan_cache_mode = force_custom_plan")
    try:
        return await conn.fetchrow(sql, *args)
    finally:
        await conn.execute("reset plan_cache_mode")


async def read_item(conn: asyncpg.Connection | asyncpg.Pool, *, firm_id: UUID, viewer_id: UUID,
                    client_id: UUID) -> str | None:
    """One item as JSON text (the same shape as in the list), or None."""
    return await conn.fetchval(
        f"""select {ITEM_JSON} from clients.links l {DECORATION}
             where l.firm_id = $1 and l.client_id = $3""",
        firm_id, viewer_id, client_id)


async def tab_counts(conn: asyncpg.Connection | asyncpg.Pool, *, firm_id: UUID,
                     viewer_id: UUID, admin: bool) -> dict[str, int]:
    """How many clients each tab holds for this viewer: a few counter rows (migration 0008)."""
    mine = """coalesce((select n from clients.assignment_counts
                          where staff_id = $2 and state = '{state}'), 0)"""
    firm = """coalesce((select n from clients.link_counts
                          where firm_id = $1 and state = '{state}'), 0)"""
    if admin:
        columns = [firm.format(state="invitation_pending") + " as invitations",
                   firm.format(state="onboarding") + " as onboarding",
                   mine.format(state="active") + " as my",
                   firm.format(state="active") + ' as "all"']
    else:
        columns = [mine.format(state="onboarding") + " as onboarding",
                   mine.format(state="active") + " as my",
                   "$1::uuid is null as unused"]  # keeps both parameters typed
    row = await conn.fetchrow(f"select {', '.join(columns)}", firm_id, viewer_id)
    return {k: v for k, v in row.items() if k != "unused"}
