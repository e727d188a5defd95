"""Writing the emails of a reminder: one per recipient, with the client's figures of now.

The client's name is the one of the reminding firm's link: a client linked to two firms has
one row per firm in notifier.clients, and the other firm's row must not be picked.
"""

import asyncpg

from services.notifier.db.email_outbox import wake_senders
from shared.events import Event

_WRITE_REMINDER = """
with recipients as (
    select gen_random_uuid() as id, staff_id from unnest($2::uuid[]) as r(staff_id)
), written as (
    insert into notifier.email_outbox
        (id, kind, origin, staff_id, reminder_id, message_id, payload)
    select r.id, 'reminder', $1, r.staff_id, $3, '<reminder.' || r.id || '@' || $4 || '>',
           $5::jsonb || jsonb_build_object(
               'client_name', c.name,
               'missing_receipts', coalesce(t.missing_receipts, 0),
               'ready_for_export', coalesce(t.ready_for_export, 0),
               'wallet_balance_minor', t.wallet_balance_minor,
               'wallet_currency', t.wallet_currency)
    from recipients r
    left join notifier.clients c on c.client_id = $6 and c.firm_id = $7
    left join notifier.task_figures t on t.client_id = $6
    on conflict do nothing
    returning 1
)
select count(*) from written
"""


class Reminders:
    def __init__(self, conn: asyncpg.Connection):
        self.conn = conn

    async def write(self, event: Event, *, origin: str, mail_domain: str) -> int:
        """Write one email per recipient of a `reminder.requested` event; return how many new."""
        d = event.data
        facts = {"firm_id": str(d.firm_id), "admin_id": str(d.admin_id),
                 "client_id": str(d.client_id), "tasks": list(d.tasks), "comment": d.comment,
                 "requested_at": event.envelope.time.isoformat()}
        written = await self.conn.fetchval(
            _WRITE_REMINDER, origin, list(d.recipient_ids), d.reminder_id, mail_domain,
            facts, d.client_id, d.firm_id)
        if written:
            await wake_senders(self.conn, origin)
        return written
