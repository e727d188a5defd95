"""The notifier's copy of staff, client links, assignees and notification settings.

A client is kept per (firm, client) link: a company linked to two firms has two rows, each
with that firm's name, link state and assignees. Every write is guarded by the time of the
event that caused it, so a redelivered or late event never rolls a row back.
"""

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

import asyncpg

from services.notifier.domain.preferences import PreferenceChange
from shared.events import Event


class Directory:
    def __init__(self, conn: asyncpg.Connection):
        self.conn = conn

    async def upsert_staff(self, events: Sequence[Event]) -> None:
        """Write `staff.upserted` events (at most one per staff member)."""
        if not events:
            return
        d = [e.data for e in events]
        await self.conn.execute(
            """
            insert into notifier.staff as s
                (staff_id, firm_id, email, name, role, locale, active, updated_at)
            select * from unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[],
                                 $6::text[], $7::bool[], $8::timestamptz[])
            on conflict (staff_id) do update set
                firm_id = excluded.firm_id, email = excluded.email, name = excluded.name,
                role = excluded.role, locale = excluded.locale, active = excluded.active,
                updated_at = excluded.updated_at
            where s.updated_at <= excluded.updated_at
            """,
            [x.staff_id for x in d], [x.firm_id for x in d], [x.email for x in d],
            [x.name for x in d], [x.role for x in d], [x.locale for x in d],
            [x.active for x in d], [e.envelope.time for e in events],
        )

    async def upsert_clients(self, events: Sequence[Event]) -> None:
        """Write `client.upserted` events (at most one per (firm, client) link)."""
        if not events:
            return
        d = [e.data for e in events]
        await self.conn.execute(
            """
            insert into notifier.clients as c (client_id, firm_id, name, link_state, updated_at)
            select * from unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::timestamptz[])
            on conflict (firm_id, client_id) do update set
                name = excluded.name, link_state = excluded.link_state,
                updated_at = excluded.updated_at
            where c.updated_at <= excluded.updated_at
            """,
            [x.client_id for x in d], [x.firm_id for x in d], [x.name for x in d],
            [x.link_state for x in d], [e.envelope.time for e in events],
        )

    async def replace_assignees(self, events: Sequence[Event]) -> None:
        """Write `client.assignees_changed` events (at most one per link): its set is replaced."""
        if not events:
            return
        d = [e.data for e in events]
        # Arrays of unequal length cannot travel as uuid[][]: each set goes as an array literal.
        sets = ["{" + ",".join(str(s) for s in x.staff_ids) + "}" for x in d]
        await self.conn.execute(
            """
            insert into notifier.clients as c (client_id, firm_id, name, link_state, updated_at,
                                               assignee_ids, assignees_updated_at)
            -- A link not seen yet gets a placeholder row that its client.upserted overwrites.
            select id, firm, '', 'unknown', '-infinity', ids::uuid[], at
            from unnest($1::uuid[], $2::uuid[], $3::text[], $4::timestamptz[])
                 as u(id, firm, ids, at)
            on conflict (firm_id, client_id) do update set
                assignee_ids = excluded.assignee_ids,
                assignees_updated_at = excluded.assignees_updated_at
            where c.assignees_updated_at is null
               or c.assignees_updated_at <= excluded.assignees_updated_at
            """,
            [x.client_id for x in d], [x.firm_id for x in d], sets,
            [e.envelope.time for e in events],
        )

    async def stored_email_starts(self, changes: Sequence[PreferenceChange]
                                  ) -> dict[tuple[UUID, UUID], datetime]:
        """(staff, client) -> first_digest_at of the stored settings that have email on."""
        rows = await self.conn.fetch(
            """
            select p.staff_id, p.client_id, p.first_digest_at
            from notifier.preferences p
            join unnest($1::uuid[], $2::uuid[]) as k(staff_id, client_id)
                 using (staff_id, client_id)
            where p.email and p.first_digest_at is not null
            """,
            [c.staff_id for c in changes], [c.client_id for c in changes],
        )
        return {(r["staff_id"], r["client_id"]): r["first_digest_at"] for r in rows}

    async def upsert_preferences(self, changes: Sequence[PreferenceChange]) -> None:
        """Write settings (one per staff and client); an older `changed_at` never wins."""
        if not changes:
            return
        await self.conn.execute(
            """
            insert into notifier.preferences as p
                (staff_id, client_id, email, frequency, changed_at, first_digest_at)
            select * from unnest($1::uuid[], $2::uuid[], $3::bool[], $4::text[],
                                 $5::timestamptz[], $6::timestamptz[])
            on conflict (staff_id, client_id) do update set
                email = excluded.email, frequency = excluded.frequency,
                changed_at = excluded.changed_at, first_digest_at = excluded.first_digest_at
            where p.changed_at <= excluded.changed_at
            """,
            [c.staff_id for c in changes], [c.client_id for c in changes],
            [c.email for c in changes], [c.frequency for c in changes],
            [c.changed_at for c in changes], [c.first_digest_at for c in changes],
        )
