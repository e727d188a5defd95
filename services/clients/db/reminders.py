"""Reminders admins send to the bookkeepers of a client, with their figures at the time."""

from uuid import UUID

import asyncpg

REMINDER_COLUMNS = """r.id, r.client_id, r.admin_id, r.tasks, r.comment, r.recipient_ids,
    r.created_at, r.resolved_at, r.request_fingerprint"""


async def insert_reminder(conn: asyncpg.Connection, *, reminder_id: UUID, firm_id: UUID,
                          client_id: UUID, admin_id: UUID, tasks: list[str],
                          comment: str | None, recipient_ids: list[UUID],
                          idempotency_key: str | None, fingerprint: str) -> bool:
    """Record the reminder with the client's figures now; False if the key was used."""
    row = await conn.fetchrow(
        """insert into clients.reminders
               (id, firm_id, client_id, admin_id, tasks, comment, recipient_ids,
                idempotency_key, request_fingerprint, missing_receipts_at_request,
                ready_for_export_at_request, wallet_balance_at_request,
                wallet_currency_at_request)
           select $1, $2, $3, $4, $5, $6, $7, $8, $9, coalesce(t.missing_receipts, 0),
                  coalesce(t.ready_for_export, 0), t.wallet_balance_minor, t.wallet_currency
             from (select 1) one
             left join clients.task_figures t on t.client_id = $3
           on conflict (admin_id, idempotency_key) do nothing
           returning id""",
        reminder_id, firm_id, client_id, admin_id, tasks, comment, recipient_ids,
        idempotency_key, fingerprint)
    return row is not None


async def reminder_by_key(conn: asyncpg.Connection, admin_id: UUID,
                          idempotency_key: str) -> asyncpg.Record | None:
    return await conn.fetchrow(
        f"select {REMINDER_COLUMNS} from clients.reminders r"
        " where r.admin_id = $1 and r.idempotency_key = $2", admin_id, idempotency_key)


async def reminders_of(conn: asyncpg.Connection | asyncpg.Pool, firm_id: UUID,
                       client_id: UUID, limit: int = 200) -> list[asyncpg.Record]:
    """Newest first, each with whether its tasks are done (recorded, or true right now)."""
    return await conn.fetch(
        f"""select {REMINDER_COLUMNS}, s.name as admin_name,
                   r.missing_receipts_at_request, r.ready_for_export_at_request,
                   r.wallet_balance_at_request, r.wallet_currency_at_request,
                   r.resolved_at is not null or clients.reminder_done(
                       r.tasks, r.wallet_balance_at_request, t.missing_receipts,
                       t.ready_for_export, t.wallet_balance_minor) as resolved
              from clients.reminders r
              join clients.staff s on s.id = r.admin_id
              left join clients.task_figures t on t.client_id = r.client_id
             where r.firm_id = $1 and r.client_id = $2
             order by r.created_at desc, r.id desc
             limit $3""",
        firm_id, client_id, limit)
