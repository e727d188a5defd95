-- Outstanding tasks per client from platform events (PRODUCT section 4): per-expense flags,
-- and the counts derived from them. shared/task_figures.py writes both tables.
create table {schema}.expense_state (
    client_id uuid not null,
    expense_id text not null,
    created boolean not null default false,
    receipt_required boolean,
    has_receipt boolean not null default false,
    waived boolean not null default false,
    ready boolean not null default false,
    exported boolean not null default false,
    deleted boolean not null default false,
    missing boolean not null generated always as (
        created and coalesce(receipt_required, false) and not has_receipt and not waived
        and not deleted) stored,
    outstanding_export boolean not null generated always as (
        ready and not exported and not deleted) stored,
    -- When the row was last written while settled (deleted, or exported with no receipt
    -- missing): it then counts in neither figure, so retention may delete it
    -- (docs/RETENTION.md). A row that becomes unsettled again loses the stamp and is kept.
    settled_at timestamptz,
    primary key (client_id, expense_id)
);
create index expense_state_missing on {schema}.expense_state (client_id) where missing;
create index expense_state_outstanding_export on {schema}.expense_state (client_id)
    where outstanding_export;
create index expense_state_settled on {schema}.expense_state (settled_at)
    where settled_at is not null;

create function {schema}.stamp_settled_expense() returns trigger
    language plpgsql as $$
begin
    if new.deleted or (new.exported and not (new.created and coalesce(new.receipt_required, false)
                                             and not new.has_receipt and not new.waived)) then
        new.settled_at := now();
    else
        new.settled_at := null;
    end if;
    return new;
end $$;
-- Fires only for rows that are or were exported or deleted: the hot path of new expenses
-- does not pay for it.
create trigger expense_state_settled before insert or update on {schema}.expense_state
    for each row when (new.deleted or new.exported)
    execute function {schema}.stamp_settled_expense();

create table {schema}.task_figures (
    client_id uuid primary key,
    missing_receipts integer not null default 0,
    ready_for_export integer not null default 0,
    wallet_balance_minor bigint,
    wallet_currency text,
    wallet_sequence bigint,
    tasks_updated_at timestamptz not null default now()
);
