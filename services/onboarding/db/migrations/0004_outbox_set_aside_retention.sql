-- The outbox relay sets aside a row that can never be published (too large for its topic, a
-- topic that does not exist) with its error and attempt count, and goes on with the rows
-- after it (shared.db.outbox). The relay's scan skips set-aside rows through its own index.
alter table onboarding.outbox
    add column attempts integer not null default 0,
    add column last_error text,
    add column set_aside_at timestamptz;
create index outbox_pending on onboarding.outbox (id) where published_at is null and set_aside_at is null;
drop index onboarding.outbox_unpublished;
create index outbox_set_aside on onboarding.outbox (set_aside_at) where set_aside_at is not null;

-- The history of cases that ended long ago is pruned by age (services/onboarding/db/
-- retention.py); the case row keeps its final state.
create index case_transitions_occurred_at on onboarding.case_transitions (occurred_at);
