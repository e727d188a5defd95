-- The notifier's own view of firms, staff, clients and settings, fed by partner.clients.v1.
-- `updated_at` is the time of the event that wrote the row: an older event never overwrites.

create table notifier.staff (
    staff_id uuid primary key,
    firm_id uuid not null,
    email text not null,
    name text not null,
    role text not null check (role in ('admin', 'bookkeeper')),
    locale text not null default 'en',
    active boolean not null,
    updated_at timestamptz not null
);

create table notifier.clients (
    client_id uuid primary key,
    firm_id uuid not null,
    name text not null,
    link_state text not null,
    -- The assigned staff as one array: an assignment change replaces the whole set.
    assignee_ids uuid[] not null default '{}',
    updated_at timestamptz not null,
    assignees_updated_at timestamptz
);

create table notifier.preferences (
    staff_id uuid not null,
    client_id uuid not null,
    email boolean not null,
    frequency text not null check (frequency in ('daily', 'weekly', 'monthly')),
    changed_at timestamptz not null,
    -- The first send time this setting is due at; null while email is off.
    first_digest_at timestamptz,
    primary key (staff_id, client_id)
);
-- A send time only ever looks at settings with email on.
create index preferences_email_on on notifier.preferences (first_digest_at) where email;

-- Task figures (shared/task_figures.py): per-expense flags, and the counts derived from them.
create table notifier.expense_state (
    client_id uuid not null,
    expense_id text not null,
    created boolean not null default false,
    receipt_required boolean,
    has_receipt boolean not null default false,
    waived boolean not null default false,
    ready boolean not null default false,
    exported boolean not null default false,
    deleted boolean not null default false,
    missing boolean generated always as (
        created and coalesce(receipt_required, false) and not has_receipt and not waived
        and not deleted) stored,
    outstanding_export boolean generated always as (ready and not exported and not deleted) stored,
    primary key (client_id, expense_id)
);
create index expense_state_missing on notifier.expense_state (client_id) where missing;
create index expense_state_outstanding_export on notifier.expense_state (client_id)
    where outstanding_export;

create table notifier.task_figures (
    client_id uuid primary key,
    missing_receipts int not null default 0,
    ready_for_export int not null default 0,
    wallet_balance_minor bigint,
    wallet_currency text,
    wallet_sequence bigint,
    tasks_updated_at timestamptz not null default now()
);
