"""The email outbox: claiming due rows for sending and recording what became of them.

A claim takes rows with FOR UPDATE SKIP LOCKED and pushes `next_attempt_at` one lease
ahead: if the claiming process dies, the row is due again once the lease is over, and
another sender (or the restarted one) takes it. A claim does not count an attempt: the
attempt is counted with its outcome, so a row claimed and never tried (the process died or
stalled past its lease) keeps every attempt it has left.
"""

from collections.abc import Sequence
from uuid import UUID

import asyncpg

from services.notifier.db import EMAIL_OUTBOX_CHANNEL
from services.notifier.domain.delivery import Outcome
from services.notifier.domain.emails import EmailToSend, Recipient
from shared.db.outbox import Outbox

_CLAIM = """
with picked as (
    select id from notifier.email_outbox
    where origin = $1 and status = 'pending' and next_attempt_at <= now()
    order by next_attempt_at
    limit $2
    for update skip locked
), claimed as (
    update notifier.email_outbox o
    set next_attempt_at = now() + make_interval(secs => $3)
    from picked where o.id = picked.id
    returning o.id, o.kind, o.staff_id, o.scheduled_for, o.message_id, o.payload,
              o.attempts, o.created_at, o.next_attempt_at as lease_until
)
select c.*, s.email, s.name as staff_name, s.locale, s.active, s.firm_id as staff_firm_id,
       a.name as admin_name
from claimed c
left join notifier.staff s on s.staff_id = c.staff_id
left join notifier.staff a on a.staff_id = (c.payload ->> 'admin_id')::uuid
"""


async def claim_due(conn: asyncpg.Connection, *, origin: str, limit: int,
                    lease_seconds: float) -> list[EmailToSend]:
    """Claim up to `limit` due emails of `origin`, with their recipient (and admin) as of now."""
    return [_email_to_send(row) for row in await conn.fetch(_CLAIM, origin, limit, lease_seconds)]


def _email_to_send(row: asyncpg.Record) -> EmailToSend:
    # Every staff column is null when the left join found no staff member.
    recipient = Recipient(email=row["email"], name=row["staff_name"], locale=row["locale"],
                          active=row["active"], firm_id=row["staff_firm_id"]
                          ) if row["email"] is not None else None
    return EmailToSend(id=row["id"], kind=row["kind"], staff_id=row["staff_id"],
                       message_id=row["message_id"], payload=row["payload"],
                       created_at=row["created_at"], scheduled_for=row["scheduled_for"],
                       recipient=recipient, admin_name=row["admin_name"],
                       attempts=row["attempts"], lease_until=row["lease_until"])


async def wake_senders(conn: asyncpg.Connection, origin: str) -> None:
    """Tell the senders of `origin` that emails were written (delivered at commit)."""
    await conn.execute("select pg_notify($1, $2)", EMAIL_OUTBOX_CHANNEL, origin)


_RECORD = """
with outcome as (
    select * from unnest($1::uuid[], $2::text[], $3::float8[], $4::text[], $5::bool[],
                         $6::text[], $7::text[], $8::text[])
        as u(id, verdict, delay, error, tried, topic, key, event)
), changed as (
    update notifier.email_outbox o set
        status = case u.verdict when 'retry' then 'pending' else u.verdict end,
        sent_at = case when u.verdict = 'sent' then now() end,
        last_error = u.error,
        next_attempt_at = case when u.verdict = 'retry'
                               then now() + make_interval(secs => u.delay)
                               else o.next_attempt_at end,
        -- Two senders may have tried the row (one after the other's lease ran out): both count.
        attempts = o.attempts + u.tried::int
    from outcome u
    where o.id = u.id and o.status = 'pending'
    returning o.id
), announced as (
    insert into notifier.outbox (topic, key, event)
    select u.topic, u.key, u.event::jsonb from outcome u join changed using (id)
    where u.event is not null
    returning 1
)
select pg_notify($9, '') from (select count(*) as n from announced) as a where a.n > 0
"""


async def record_outcomes(conn: asyncpg.Connection, outbox: Outbox,
                          outcomes: Sequence[Outcome]) -> None:
    """Mark sent, reschedule or fail each email, and announce the ones that changed.

    One statement, so one round trip and its own transaction: the workers wait for it before
    their next message. The announcements go into the notifier's outbox table as the shared
    relay reads it (shared.db.outbox), in the same statement as the marks. Only rows still
    pending change: a row another sender already finished is not announced twice.
    """
    events = [o.announce[1] if o.announce else None for o in outcomes]
    await conn.execute(
        _RECORD,
        [o.email_id for o in outcomes], [o.verdict.value for o in outcomes],
        [o.retry_in for o in outcomes], [o.error for o in outcomes],
        [o.tried for o in outcomes],
        [o.announce[0] if o.announce else None for o in outcomes],
        [e.subject if e else None for e in events],
        [e.model_dump_json(exclude_none=True) if e else None for e in events],
        outbox.channel)


async def release(conn: asyncpg.Connection, email_ids: Sequence[UUID]) -> None:
    """Give claimed but untried emails back at once (a sender stopping)."""
    if email_ids:
        await conn.execute(
            "update notifier.email_outbox set next_attempt_at = now()"
            " where id = any($1::uuid[]) and status = 'pending'", list(email_ids))
