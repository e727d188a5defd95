-- The two generated flags of expense_state are `not null` as in the shared definition
-- (shared/db/table_groups/task_figures): they never are null (every operand is `not null`
-- but receipt_required, which is coalesced), and now the catalog says so too.
alter table notifier.expense_state
    alter column missing set not null,
    alter column outstanding_export set not null;
