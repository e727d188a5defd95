"""Writing the digests of one send time: one set-based statement for every staff member.

Who gets what (PRODUCT section 5, and the lead's visibility rule):
* a setting counts when email is on, its frequency is due that day and its first digest is due;
* only for clients whose link to the staff member's own firm is `active` (a client of two
  firms has a link row per firm, each with its own state and assignees), and only clients
  the staff member may still see: admins every such client, bookkeepers only those the link
  assigns to them;
* one email per staff member per send time, its clients ordered by outstanding work.
"""

from datetime import datetime

import asyncpg

from services.notifier.db.email_outbox import wake_senders

_WRITE_DIGESTS = """
with due as (
    select p.staff_id, s.firm_id, c.client_id, c.name, p.frequency,
           coalesce(t.missing_receipts, 0) as missing_receipts,
           coalesce(t.ready_for_export, 0) as ready_for_export,
           t.wallet_balance_minor, t.wallet_currency
    from notifier.preferences p
    join notifier.staff s on s.staff_id = p.staff_id and s.active
    join notifier.clients c on c.client_id = p.client_id
         and c.firm_id = s.firm_id and c.link_state = 'active'
    left join notifier.task_figures t on t.client_id = p.client_id
    where p.email and p.first_digest_at <= $1 and p.frequency = any($2::text[])
      and (s.role = 'admin' or p.staff_id = any(c.assignee_ids))
      and not exists (select 1 from notifier.email_outbox o
                      where o.kind = 'digest' and o.staff_id = p.staff_id
                        and o.scheduled_for = $1)
), per_staff as (
    select gen_random_uuid() as id, staff_id, firm_id,
           jsonb_agg(jsonb_build_object(
               'client_id', client_id, 'name', name, 'frequency', frequency,
               'missing_receipts', missing_receipts, 'ready_for_export', ready_for_export,
               'wallet_balance_minor', wallet_balance_minor, 'wallet_currency', wallet_currency)
             order by missing_receipts + ready_for_export desc, lower(name), client_id
           ) as clients
    from due
    group by staff_id, firm_id
), written as (
    insert into notifier.email_outbox
        (id, kind, origin, staff_id, scheduled_for, message_id, payload)
    select id, 'digest', $3, staff_id, $1, '<digest.' || id || '@' || $4 || '>',
           jsonb_build_object('firm_id', firm_id, 'clients', clients)
    from per_staff
    on conflict do nothing
    returning 1
)
select count(*) from written
"""


class Digests:
    def __init__(self, conn: asyncpg.Connection):
        self.conn = conn

    async def write(self, *, origin: str, send_time: datetime, frequencies: list[str],
                    mail_domain: str) -> int:
        """Write the digests owed at `send_time` that are not written yet; return how many.

        Every tick of the send day runs it again: someone whose setting or assignment reached
        the notifier after the first tick (it lagged on partner events, say) still gets the
        day's digest, and the unique (staff, send time) key keeps everyone else to one.
        """
        written = await self.conn.fetchval(_WRITE_DIGESTS, send_time, frequencies, origin,
                                           mail_domain)
        if written:
            await wake_senders(self.conn, origin)
        return written
