-- Notification settings, reminders, "Go to client" grants, the audit log and the pending
-- openings of verification cases (PRODUCT sections 5-8).

create table clients.notification_preferences (
    staff_id uuid not null references clients.staff (id),
    client_id uuid not null references clients.companies (id),
    email boolean not null,
    frequency text not null check (frequency in ('daily', 'weekly', 'monthly')),
    changed_at timestamptz not null,
    -- the first Monday send time after email was last turned on; null while off
    first_digest_at timestamptz,
    primary key (staff_id, client_id)
);

-- Whether a reminder's ticked tasks are done (PRODUCT section 6). The one definition,
-- used when figures change (to record resolved_at) and when reminders are listed.
create function clients.reminder_done(
    tasks text[], wallet_at_request bigint,
    missing integer, ready integer, wallet_now bigint) returns boolean
    language sql immutable parallel safe as $$
    select (not ('missing_receipts' = any(tasks)) or coalesce(missing, 0) = 0)
       and (not ('ready_for_export' = any(tasks)) or coalesce(ready, 0) = 0)
       and (not ('wallet_balance' = any(tasks))
            or (wallet_now is not null and wallet_now > coalesce(wallet_at_request, 0)))
$$;

create table clients.reminders (
    id uuid primary key,
    firm_id uuid not null,
    client_id uuid not null,
    admin_id uuid not null references clients.staff (id),
    tasks text[] not null check (
        cardinality(tasks) > 0
        and tasks <@ array['missing_receipts', 'ready_for_export', 'wallet_balance']),
    comment text check (length(comment) <= 1000),
    recipient_ids uuid[] not null,
    idempotency_key text,
    request_fingerprint text not null,
    -- figures when the reminder was sent; a wallet task resolves when the balance rose
    missing_receipts_at_request integer not null,
    ready_for_export_at_request integer not null,
    wallet_balance_at_request bigint,
    wallet_currency_at_request text,
    created_at timestamptz not null default now(),
    resolved_at timestamptz,
    foreign key (firm_id, client_id) references clients.links (firm_id, client_id),
    unique (admin_id, idempotency_key)
);
create index reminders_per_client on clients.reminders (firm_id, client_id, created_at desc);
create index reminders_open on clients.reminders (client_id) where resolved_at is null;

-- Resolved is for good: once the figures reached zero the reminder did its job.
create function clients.resolve_reminders() returns trigger
    language plpgsql as $$
begin
    update clients.reminders r
       set resolved_at = now()
     where r.client_id = new.client_id and r.resolved_at is null
       and clients.reminder_done(r.tasks, r.wallet_balance_at_request, new.missing_receipts,
                                 new.ready_for_export, new.wallet_balance_minor);
    return null;
end $$;
create trigger figures_resolve_reminders after insert or update on clients.task_figures
    for each row execute function clients.resolve_reminders();

create table clients.access_grants (
    id uuid primary key,
    firm_id uuid not null,
    client_id uuid not null,
    staff_id uuid not null references clients.staff (id),
    expires_at timestamptz not null,
    created_at timestamptz not null default now(),
    foreign key (firm_id, client_id) references clients.links (firm_id, client_id)
);

create table clients.audit_log (
    id bigserial primary key,
    firm_id uuid not null,
    staff_id uuid,
    action text not null,
    client_id uuid,
    details jsonb not null default '{}',
    at timestamptz not null default now()
);
create index audit_log_per_firm on clients.audit_log (firm_id, at desc);

-- Invites whose verification case is still to be opened at the onboarding service;
-- written in the invite's transaction, worked off by the case opener with backoff.
create table clients.case_openings (
    case_id uuid primary key,
    client_id uuid not null,
    firm_id uuid not null,
    contact_email text not null,
    attempts integer not null default 0,
    next_attempt_at timestamptz not null default now(),
    last_error text,
    created_at timestamptz not null default now(),
    opened_at timestamptz,
    foreign key (firm_id, client_id) references clients.links (firm_id, client_id)
);
create index case_openings_due on clients.case_openings (next_attempt_at)
    where opened_at is null;
