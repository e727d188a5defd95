"""Writing the digests of one send time: set-based statements over chunks of staff members.

Who gets what (PRODUCT section 5, and the lead's visibility rule):
* a setting counts when email is on, its frequency is due that day and its first digest is due;
* only for `active` clients of the staff member's own firm, and only clients the staff member
  may still see: admins every active client of the firm, bookkeepers only assigned ones;
* one email per staff member per send time, its clients ordered by outstanding work.
"""

from datetime import datetime
from uuid import UUID

import asyncpg

from services.notifier.db import EMAIL_OUTBOX_CHANNEL

# Staff members are taken in chunks, each written and committed by one statement: the
# sender starts on the first chunk while the next are written, and no transaction holds
# a whole Monday (20,000 digests took 2.5 s as one statement).
CHUNK_STAFF = 1000

_WRITE_DIGESTS = """
with chunk as (
    select staff_id, firm_id, role from notifier.staff
    where active and staff_id > $5
    order by staff_id
    limit $6
), due as (
    select p.staff_id, s.firm_id, c.client_id, c.name, p.frequency,
           coalesce(t.missing_receipts, 0) as missing_receipts,
           coalesce(t.ready_for_export, 0) as ready_for_export,
           t.wallet_balance_minor, t.wallet_currency
    from chunk s
    join notifier.preferences p on p.staff_id = s.staff_id
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
select (select staff_id from chunk order by staff_id desc limit 1) as last_staff_id,
       (select count(*) from written) as written
"""


async def write_digests(conn: asyncpg.Connection, *, origin: str, send_time: datetime,
                        frequencies: list[str], mail_domain: str) -> int:
    """Write the digests owed at `send_time` that are not written yet; return how many.

    Every tick of the send day runs it again: someone whose setting or assignment reached
    the notifier after the first tick (it lagged on partner events, say) still gets the
    day's digest, and the unique (staff, send time) key keeps everyone else to one. That
    also makes a tick that died half-way safe to run again. Call it outside a transaction,
    so that each chunk is committed (and announced to the sender) as soon as it is written.
    """
    after, total = UUID(int=0), 0
    while True:
        row = await conn.fetchrow(_WRITE_DIGESTS, send_time, frequencies, origin, mail_domain,
                                  after, CHUNK_STAFF)
        if row["written"]:
            total += row["written"]
            await conn.execute("select pg_notify($1, $2)", EMAIL_OUTBOX_CHANNEL, origin)
        if row["last_staff_id"] is None:
            return total
        after = row["last_staff_id"]
