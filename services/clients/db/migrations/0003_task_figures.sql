-- Outstanding tasks per client from platform events (PRODUCT section 4), in the two tables
-- shared.task_figures writes; a trigger copies the counts onto the list's read model.

create table clients.expense_state (
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
    primary key (client_id, expense_id)
);
create index expense_state_missing on clients.expense_state (client_id) where missing;
create index expense_state_outstanding_export on clients.expense_state (client_id)
    where outstanding_export;

create table clients.task_figures (
    client_id uuid primary key,
    missing_receipts integer not null default 0,
    ready_for_export integer not null default 0,
    wallet_balance_minor bigint,
    wallet_currency text,
    wallet_sequence bigint,
    tasks_updated_at timestamptz not null default now()
);

-- Figures changed: the links of that client (one per firm) show the new ones.
create function clients.copy_figures_to_links() returns trigger
    language plpgsql as $$
begin
    update clients.links
       set missing_receipts = new.missing_receipts, ready_for_export = new.ready_for_export,
           wallet_balance_minor = new.wallet_balance_minor,
           wallet_currency = new.wallet_currency, tasks_updated_at = new.tasks_updated_at
     where client_id = new.client_id;
    return null;
end $$;
create trigger figures_to_links after insert or update on clients.task_figures
    for each row execute function clients.copy_figures_to_links();
