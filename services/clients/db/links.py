"""Links between firms and client companies, and who of the firm is assigned to them."""

from uuid import UUID

import asyncpg

LINK_COLUMNS = ("firm_id, client_id, state, name, registration_number, country,"
                " verification_state, case_id")


async def insert_link(conn: asyncpg.Connection, *, firm_id: UUID, client_id: UUID,
                      state: str, case_id: UUID | None = None) -> asyncpg.Record | None:
    """A new link carrying the company's name and any figures already known; None if linked."""
    return await conn.fetchrow(
        f"""insert into clients.links (firm_id, client_id, state, name, registration_number,
                                      country, missing_receipts, ready_for_export,
                                      wallet_balance_minor, wallet_currency, tasks_updated_at,
                                      case_id)
            select $1, c.id, $3, c.name, c.registration_number, c.country,
                   coalesce(t.missing_receipts, 0), coalesce(t.ready_for_export, 0),
                   t.wallet_balance_minor, t.wallet_currency, t.tasks_updated_at, $4
              from clients.companies c
              left join clients.task_figures t on t.client_id = c.id
             where c.id = $2
            on conflict (firm_id, client_id) do nothing
            returning {LINK_COLUMNS}""",
        firm_id, client_id, state, case_id)


async def lock_link(conn: asyncpg.Connection, firm_id: UUID,
                    client_id: UUID) -> asyncpg.Record | None:
    """The link, locked until the end of the transaction (state changes are serialised)."""
    return await conn.fetchrow(
        f"select {LINK_COLUMNS} from clients.links where firm_id = $1 and client_id = $2"
        " for update", firm_id, client_id)


async def set_link_state(conn: asyncpg.Connection, *, firm_id: UUID, client_id: UUID,
                         state: str, verification_state: str | None = None) -> asyncpg.Record:
    return await conn.fetchrow(
        f"""update clients.links
               set state = $3, state_changed_at = case when state = $3 then state_changed_at
                                                       else now() end,
                   verification_state = coalesce($4, verification_state)
             where firm_id = $1 and client_id = $2
         returning {LINK_COLUMNS}""",
        firm_id, client_id, state, verification_state)


async def link_seen_by(conn: asyncpg.Connection | asyncpg.Pool, *, firm_id: UUID,
                       client_id: UUID, staff_id: UUID) -> asyncpg.Record | None:
    """The link's state and whether `staff_id` is assigned to it; None if not linked."""
    return await conn.fetchrow(
        """select l.state, l.name, $3 = any(l.assignee_ids) as mine
             from clients.links l where l.firm_id = $1 and l.client_id = $2""",
        firm_id, client_id, staff_id)


async def assignee_ids(conn: asyncpg.Connection, firm_id: UUID, client_id: UUID) -> list[UUID]:
    rows = await conn.fetch(
        "select staff_id from clients.assignments where firm_id = $1 and client_id = $2"
        " order by staff_id", firm_id, client_id)
    return [r["staff_id"] for r in rows]


async def replace_assignees(conn: asyncpg.Connection, *, firm_id: UUID, client_id: UUID,
                            staff_ids: list[UUID]) -> None:
    """Make exactly `staff_ids` the assignees; new rows copy the link's sort keys."""
    await conn.execute(
        "delete from clients.assignments where firm_id = $1 and client_id = $2"
        " and not (staff_id = any($3::uuid[]))", firm_id, client_id, staff_ids)
    await conn.execute(
        """insert into clients.assignments (firm_id, client_id, staff_id, state, name_key,
                                           missing_receipts, ready_for_export)
           select l.firm_id, l.client_id, s.id, l.state, l.name_key, l.missing_receipts,
                  l.ready_for_export
             from clients.links l cross join unnest($3::uuid[]) as s(id)
            where l.firm_id = $1 and l.client_id = $2
           on conflict do nothing""",
        firm_id, client_id, staff_ids)


async def bookkeepers_assigned(conn: asyncpg.Connection, firm_id: UUID,
                               client_id: UUID) -> list[UUID]:
    """The active bookkeepers assigned to a client: who a reminder goes to."""
    rows = await conn.fetch(
        """select s.id from clients.assignments a join clients.staff s on s.id = a.staff_id
            where a.firm_id = $1 and a.client_id = $2 and s.role = 'bookkeeper' and s.active
            order by s.id""", firm_id, client_id)
    return [r["id"] for r in rows]


async def insert_audit(conn: asyncpg.Connection, *, firm_id: UUID, staff_id: UUID | None,
                       action: str, client_id: UUID | None, details: dict | None = None) -> None:
    await conn.execute(
        "insert into clients.audit_log (firm_id, staff_id, action, client_id, details)"
        " values ($1, $2, $3, $4, $5)", firm_id, staff_id, action, client_id, details or {})
