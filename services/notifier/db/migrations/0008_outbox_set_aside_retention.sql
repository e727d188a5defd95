-- The outbox relay sets aside a row that can never be published (too large for its topic, a
-- topic that does not exist) with its error and attempt count, and goes on with the rows
-- after it (shared.db.outbox). The relay's scan skips set-aside rows through its own index.
alter table notifier.outbox
    add column attempts integer not null default 0,
    add column last_error text,
    add column set_aside_at timestamptz;
create index outbox_pending on notifier.outbox (id) where published_at is null and set_aside_at is null;
drop index notifier.outbox_unpublished;
create index outbox_set_aside on notifier.outbox (set_aside_at) where set_aside_at is not null;

-- Retention of finished expenses (docs/RETENTION.md). `settled_at` is when the row was last
-- written while settled: deleted, or exported with no receipt missing. Such a row counts in
-- neither figure, so deleting it changes no count; a row that becomes unsettled again (an
-- expense.created arriving after the export) loses the stamp and is kept.
alter table notifier.expense_state add column settled_at timestamptz;
update notifier.expense_state set settled_at = now()
 where deleted or (exported and not missing);
create function notifier.stamp_settled_expense() returns trigger
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
create trigger expense_state_settled before insert or update on notifier.expense_state
    for each row when (new.deleted or new.exported)
    execute function notifier.stamp_settled_expense();
create index expense_state_settled on notifier.expense_state (settled_at)
    where settled_at is not null;

-- Sent and failed emails are pruned by age (services/notifier/db/retention.py); pending ones
-- never are.
create index email_outbox_finished on notifier.email_outbox (created_at)
    where status <> 'pending';
