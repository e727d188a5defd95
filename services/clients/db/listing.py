"""The Clients page read model: one keyset range scan per page, items as ready JSON text.

A page is read in one statement: the inner query walks one composite index (firm, state,
sort key, id) of `links`, or (staff, state, sort key, id) of `assignments` for "my" lists,
from the cursor on (db/page_rows.py says which, tier by tier for a search); the outer
query turns each page row into its item with `clients.list_item` (migration 0010, where
the item is defined), so neither the database nor the API process builds objects per
request. Assignments always belong to the staff member's own firm (composite foreign
key), so the staff id alone scopes them to the firm. A search whose word starts do not
fill its page reads the rest in a second statement (`read_page`).
"""

from collections.abc import Mapping
from uuid import UUID

import asyncpg

from services.clients.db.page_rows import (FIRM_LIST, SORT_COLUMN, ordered, search_tiers,
                                            uses_prefixes)
from services.clients.domain.listing import ListPlan
from services.clients.domain.notifications import OFF
from services.clients.domain.visibility import VISIBLE_STATES, tab_of


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


def page_query(plan: ListPlan, wanted: range, rows: int) -> tuple[str, list]:
    """SQL and arguments of up to `rows` rows of the `wanted` tiers of a page.

    Rows come as (tier, client id, sort value, item) in page order; a tier is read only
    for what the tiers before it leave (a limit of 0 reads nothing).
    """
    args: list = [plan.firm_id, plan.viewer_id, plan.state]

    def arg(value) -> str:
        args.append(value)
        return f"${len(args)}"

    if plan.assigned_to is None:
        source, where = "clients.links d", list(FIRM_LIST)
    else:
        source, where = "clients.assignments d", [f"d.staff_id = {arg(plan.assigned_to)}",
                                                  "d.state = $3"]
    if plan.missing_only:
        where.append("d.missing_receipts > 0")  # the predicate of the partial indexes
    if plan.also_assigned_to is not None:
        where.append("exists (select 1 from clients.assignments m where m.firm_id = $1"
                     " and m.client_id = d.client_id"
                     f" and m.staff_id = {arg(plan.also_assigned_to)})")
    tiers = ({0: ordered(plan, source, where)} if plan.search is None
             else search_tiers(plan, arg, source, where, wanted))
    limit, ctes = arg(rows), []
    for number in wanted:
        extra = []
        if plan.after is not None and number == plan.after[0]:
            _, value, after_id = plan.after
            cast = 'text collate "C"' if plan.sort == "name" else "integer"
            extra.append(f"(d.{SORT_COLUMN[plan.sort]}, d.client_id)"
                         f" {'<' if plan.descending else '>'}"
                         f" ({arg(value)}::{cast}, {arg(after_id)}::uuid)")
        rest = "".join(f" - (select count(*) from t{t})" for t in wanted if t < number)
        # a later tier counts an earlier one: read once; one tier keeps its index's order
        body = tiers[number](number, extra, limit + rest)
        ctes.append(f"t{number} as {'materialized ' if len(wanted) > 1 else ''}({body})")
    union = " union all ".join(f"select * from t{t}" for t in wanted)
    sql = f"""
        with {', '.join(ctes)}
        select p.tier, p.client_id, p.sort_value, {ITEM_JSON} as item
          from ({union}) p
          join clients.links l on l.firm_id = $1 and l.client_id = p.client_id
          {DECORATION}
         order by {_page_order(plan, wanted, "p")}"""
    return sql, args


def _page_order(plan: ListPlan, wanted: range, row: str) -> str:
    """The page's order over rows `row`: by tier when there are several."""
    direction = "desc" if plan.descending else "asc"
    tier = f"{row}.tier, " if len(wanted) > 1 else ""
    return f"{tier}{row}.sort_value {direction}, {row}.client_id {direction}"


STAFF_OF_VIEWER = "select id, firm_id, email, name, role, locale, active from clients.staff"


def _starts_first(plan: ListPlan) -> bool:
    """Whether the page is the common search's from its start: its word starts are read
    first, on a generic plan, and the rest only if they do not fill the page."""
    return uses_prefixes(plan) and (plan.after is None or plan.after[0] == 0)


def _document(plan: ListPlan, wanted: range, items: int, staff: bool) -> tuple[str, list]:
    """`items` items of `wanted` tiers as one row: `items` (joined by commas), `count` (the
    rows read: one more than `items` when there are more), and the (tier, sort value, id)
    of the last item; with the viewer's staff row ($2) when `staff`."""
    rows_sql, args = page_query(plan, wanted, items + 1)
    args.append(items)
    limit = f"${len(args)}"
    last = f"from page where n = least({limit}, (select count(*) from page))"
    sql = f"""
        with page as materialized (
            select row_number() over (order by {_page_order(plan, wanted, "r")}) as n, r.*
              from ({rows_sql}) r)
        select {'s.*,' if staff else ''}
               (select coalesce(string_agg(item, ',' order by n), '')
                  from page where n <= {limit}) as items,
               (select count(*) from page) as count,
               (select tier {last}) as last_tier,
               (select sort_value {last}) as last_value,
               (select client_id {last}) as last_id
          {f'from ({STAFF_OF_VIEWER} where id = $2) s' if staff else ''}"""
    return sql, args


def page_document_query(plan: ListPlan) -> tuple[str, list]:
    """The viewer's staff row and their page, in one statement (one round trip).

    One row, or none when the viewer ($2) is unknown: the staff columns (the caller reads
    role, firm and `active` from them on every request) and the page (`_document`). The
    page is read for the firm and role the plan was made for; the caller compares them
    with the staff columns and discards the page when they differ. The common search's
    page holds its word starts only (`read_page` reads the rest).
    """
    first = plan.after[0] if plan.after else 0
    tiers = 2 if plan.search is not None and plan.search.ranked else 1
    return _document(plan, range(first, 1 if _starts_first(plan) else tiers), plan.limit,
                     staff=True)


async def read_page(conn: asyncpg.Connection, plan: ListPlan) -> Mapping | None:
    """The viewer's staff row with the page (see `page_document_query`); None: no such staff.

    A search other than the common one's word starts is planned for its own pattern: a
    rare one walks the trigram index, a common one the list's order; a cached generic plan
    would pick one for all.
    """
    sql, args = page_document_query(plan)
    starts_first = _starts_first(plan)
    row = await _fetch(conn, sql, args, custom=plan.search is not None and not starts_first)
    if row is None or not starts_first or row["count"] > plan.limit:
        return row
    left = plan.limit - row["count"]
    sql, args = _document(plan, range(1, 2), left, staff=False)
    inner = await _fetch(conn, sql, args, custom=True)
    merged = {**row, "items": ",".join(i for i in (row["items"], inner["items"]) if i),
              "count": row["count"] + inner["count"]}
    if left and inner["count"]:  # else the last word start is the page's last item
        merged |= {k: inner[k] for k in ("last_tier", "last_value", "last_id")}
    return merged


async def _fetch(conn: asyncpg.Connection, sql: str, args: list, *, custom: bool):
    if not custom:
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
