"""Links between firms and client companies, and who of the firm is assigned to them."""

from dataclasses import dataclass
from uuid import UUID

import asyncpg

from services.clients.domain.links import Link
from shared.events.schemas import CaseState, LinkState

LINK_COLUMNS = ("firm_id, client_id, state, name, registration_number, country,"
                " verification_state, case_id")


@dataclass(frozen=True, slots=True)
class SeenLink:
    """A link's state and name, and whether the staff member who asked is assigned to it."""

    state: LinkState
    name: str
    mine: bool


def _link(row: asyncpg.Record | None) -> Link | None:
    return Link(**dict(row)) if row else None


class Links:
    """The links of the clients schema, over one connection."""

    def __init__(self, conn: asyncpg.Connection):
        self.conn = conn

    async def insert(self, *, firm_id: UUID, client_id: UUID, state: LinkState,
                     case_id: UUID | None = None) -> Link | None:
        """A new link carrying the company's name and any figures already known; None if
        linked already."""
        return _link(await self.conn.fetchrow(
            f"""insert into clients.links (firm_id, client_id, state, name, registration_number,
                                          country, missing_receipts, ready_for_export,
                                          wallet_balance_minor, wallet_currency,
                                          tasks_updated_at, case_id)
                select $1, c.id, $3, c.name, c.registration_number, c.country,
                       coalesce(t.missing_receipts, 0), coalesce(t.ready_for_export, 0),
                       t.wallet_balance_minor, t.wallet_currency, t.tasks_updated_at, $4
                  from clients.companies c
                  left join clients.task_figures t on t.client_id = c.id
                 where c.id = $2
                on conflict (firm_id, client_id) do nothing
                returning {LINK_COLUMNS}""",
            firm_id, client_id, state, case_id))

    async def lock(self, firm_id: UUID, client_id: UUID) -> Link | None:
        """The link, locked until the end of the transaction (state changes are serialised)."""
        return _link(await self.conn.fetchrow(
            f"select {LINK_COLUMNS} from clients.links where firm_id = $1 and client_id = $2"
            " for update", firm_id, client_id))

    async def set_state(self, *, firm_id: UUID, client_id: UUID, state: LinkState,
                        verification_state: CaseState | None) -> Link:
        return _link(await self.conn.fetchrow(
            f"""update clients.links
                   set state = $3, state_changed_at = case when state = $3 then state_changed_at
                                                           else now() end,
                       verification_state = $4
                 where firm_id = $1 and client_id = $2
             returning {LINK_COLUMNS}""",
            firm_id, client_id, state, verification_state))

    async def seen_by(self, *, firm_id: UUID, client_id: UUID,
                      staff_id: UUID) -> SeenLink | None:
        """The link's state and whether `staff_id` is assigned to it; None if not linked."""
        row = await self.conn.fetchrow(
            """select l.state, l.name, $3 = any(l.assignee_ids) as mine
                 from clients.links l where l.firm_id = $1 and l.client_id = $2""",
            firm_id, client_id, staff_id)
        return SeenLink(**dict(row)) if row else None

    async def assignee_ids(self, firm_id: UUID, client_id: UUID) -> list[UUID]:
        rows = await self.conn.fetch(
            "select staff_id from clients.assignments where firm_id = $1 and client_id = $2"
            " order by staff_id", firm_id, client_id)
        return [r["staff_id"] for r in rows]

    async def replace_assignees(self, *, firm_id: UUID, client_id: UUID,
                                staff_ids: list[UUID]) -> None:
        """Make exactly `staff_ids` the assignees; new rows copy the link's sort keys."""
        await self.conn.execute(
            "delete from clients.assignments where firm_id = $1 and client_id = $2"
            " and not (staff_id = any($3::uuid[]))", firm_id, client_id, staff_ids)
        await self.conn.execute(
            """insert into clients.assignments (firm_id, client_id, staff_id, state, name_key,
                                               missing_receipts, ready_for_export)
               select l.firm_id, l.client_id, s.id, l.state, l.name_key, l.missing_receipts,
                      l.ready_for_export
                 from clients.links l cross join unnest($3::uuid[]) as s(id)
                where l.firm_id = $1 and l.client_id = $2
               on conflict do nothing""",
            firm_id, client_id, staff_ids)

    async def bookkeepers_assigned(self, firm_id: UUID, client_id: UUID) -> list[UUID]:
        """The active bookkeepers assigned to a client: who a reminder goes to."""
        rows = await self.conn.fetch(
            """select s.id from clients.assignments a join clients.staff s on s.id = a.staff_id
                where a.firm_id = $1 and a.client_id = $2 and s.role = 'bookkeeper' and s.active
                order by s.id""", firm_id, client_id)
        return [r["id"] for r in rows]
