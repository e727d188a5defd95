"""Reminders admins send to the bookkeepers of a client, with their figures at the time."""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

import asyncpg

from shared.events.schemas import Task


@dataclass(frozen=True, slots=True)
class Reminder:
    """A reminder as recorded, and what a retry with its Idempotency-Key must repeat."""

    id: UUID
    recipient_ids: list[UUID]
    request_fingerprint: str


@dataclass(frozen=True, slots=True)
class SentReminder:
    """A reminder with its admin's name, the client's figures when it was sent, and
    whether its tasks are done (recorded, or true right now)."""

    id: UUID
    client_id: UUID
    admin_id: UUID
    admin_name: str
    tasks: list[Task]
    comment: str | None
    recipient_ids: list[UUID]
    created_at: datetime
    resolved_at: datetime | None
    resolved: bool
    missing_receipts_at_request: int
    ready_for_export_at_request: int
    wallet_balance_at_request: int | None
    wallet_currency_at_request: str | None


class Reminders:
    def __init__(self, conn: asyncpg.Connection):
        self.conn = conn

    async def insert(self, *, reminder_id: UUID, firm_id: UUID, client_id: UUID,
                     admin_id: UUID, tasks: list[Task], comment: str | None,
                     recipient_ids: list[UUID], idempotency_key: str | None,
                     fingerprint: str) -> bool:
        """Record the reminder with the client's figures now; False if the key was used."""
        row = await self.conn.fetchrow(
            """insert into clients.reminders
                   (id, firm_id, client_id, admin_id, tasks, comment, recipient_ids,
                    idempotency_key, request_fingerprint, missing_receipts_at_request,
                    ready_for_export_at_request, wallet_balance_at_request,
                    wallet_currency_at_request)
               select $1, $2, $3, $4, $5, $6, $7, $8, $9, coalesce(t.missing_receipts, 0),
                      coalesce(t.ready_for_export, 0), t.wallet_balance_minor,
                      t.wallet_currency
                 from (select 1) one
                 left join clients.task_figures t on t.client_id = $3
               on conflict (admin_id, idempotency_key) do nothing
               returning id""",
            reminder_id, firm_id, client_id, admin_id, tasks, comment, recipient_ids,
            idempotency_key, fingerprint)
        return row is not None

    async def by_key(self, admin_id: UUID, idempotency_key: str) -> Reminder | None:
        row = await self.conn.fetchrow(
            "select id, recipient_ids, request_fingerprint from clients.reminders"
            " where admin_id = $1 and idempotency_key = $2", admin_id, idempotency_key)
        return Reminder(**dict(row)) if row else None

    async def of_client(self, firm_id: UUID, client_id: UUID,
                        limit: int = 200) -> list[SentReminder]:
        """Newest first."""
        rows = await self.conn.fetch(
            """select r.id, r.client_id, r.admin_id, s.name as admin_name, r.tasks, r.comment,
                      r.recipient_ids, r.created_at, r.resolved_at,
                      r.resolved_at is not null or clients.reminder_done(
                          r.tasks, r.wallet_balance_at_request, t.missing_receipts,
                          t.ready_for_export, t.wallet_balance_minor) as resolved,
                      r.missing_receipts_at_request, r.ready_for_export_at_request,
                      r.wallet_balance_at_request, r.wallet_currency_at_request
                 from clients.reminders r
                 join clients.staff s on s.id = r.admin_id
                 left join clients.task_figures t on t.client_id = r.client_id
                where r.firm_id = $1 and r.client_id = $2
                order by r.created_at desc, r.id desc
                limit $3""",
            firm_id, client_id, limit)
        return [SentReminder(**dict(r)) for r in rows]
