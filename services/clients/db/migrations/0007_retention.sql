-- Retention of finished expenses (docs/RETENTION.md). `settled_at` is when the row was last
-- written while settled: deleted, or exported with no receipt missing. Such a row counts in
-- neither figure, so deleting it changes no count; a row that becomes unsettled again (an
-- expense.created arriving after the export) loses the stamp and is kept.
alter table clients.expense_state add column settled_at timestamptz;
update clients.expense_state set settled_at = now()
 where deleted or (exported and not missing);
create function clients.stamp_settled_expense() returns trigger
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
create trigger expense_state_settled before insert or update on clients.expense_state
    for each row when (new.deleted or new.exported)
    execute function clients.stamp_settled_expense();
create index expense_state_settled on clients.expense_state (settled_at)
    where settled_at is not null;

-- The other prunes of services/clients/db/retention.py, each by an index of its own.
-- The audit log is appended in time order: a BRIN index finds its old end for next to nothing.
create index audit_log_at on clients.audit_log using brin (at);
create index access_grants_expires_at on clients.access_grants (expires_at);
create index reminders_resolved_at on clients.reminders (resolved_at) where resolved_at is not null;
create index case_openings_opened_at on clients.case_openings (opened_at)
    where opened_at is not null;
