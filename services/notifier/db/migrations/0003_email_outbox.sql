-- Every email the notifier sends, written with its unique key BEFORE any SMTP attempt
-- (ARCHITECTURE "Delivery guarantees"): one digest per (staff, send time), one reminder email
-- per (reminder, staff). The sender claims pending rows, sends, and marks them.
create table notifier.email_outbox (
    id uuid primary key,
    kind text not null check (kind in ('digest', 'reminder')),
    -- The notifier deployment (faust app id) whose sender delivers the row.
    origin text not null,
    staff_id uuid not null,
    scheduled_for timestamptz,
    reminder_id uuid,
    -- Fixed when the row is written, so a re-send after a crash carries the same Message-ID.
    message_id text not null unique,
    -- What the email says (clients, figures, comment), fixed when the row is written.
    payload jsonb not null,
    status text not null default 'pending' check (status in ('pending', 'sent', 'failed')),
    attempts int not null default 0,
    -- When the row may be claimed again: after a retry backoff, or when a claim's lease ends
    -- (a sender that died mid-send leaves its rows to be claimed once the lease is over).
    next_attempt_at timestamptz not null default now(),
    last_error text,
    created_at timestamptz not null default now(),
    sent_at timestamptz,
    check ((kind = 'digest') = (scheduled_for is not null)),
    check ((kind = 'reminder') = (reminder_id is not null))
);
create unique index email_outbox_digest_key on notifier.email_outbox (staff_id, scheduled_for)
    where kind = 'digest';
create unique index email_outbox_reminder_key on notifier.email_outbox (reminder_id, staff_id)
    where kind = 'reminder';
create index email_outbox_due on notifier.email_outbox (origin, next_attempt_at)
    where status = 'pending';

-- Send times whose digests were written: later ticks of the same day skip the work at once.
create table notifier.digest_runs (
    origin text not null,
    send_time timestamptz not null,
    digests int not null,
    created_at timestamptz not null default now(),
    primary key (origin, send_time)
);
