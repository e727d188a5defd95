-- The outbox relay sets aside a row that can never be published (too large for its topic, a
-- topic that does not exist) with its error and attempt count, and goes on with the rows
-- after it (shared.db.outbox). The relay's scan skips set-aside rows through its own index.
alter table clients.outbox
    add column attempts integer not null default 0,
    add column last_error text,
    add column set_aside_at timestamptz;
create index outbox_pending on clients.outbox (id) where published_at is null and set_aside_at is null;
drop index clients.outbox_unpublished;
create index outbox_set_aside on clients.outbox (set_aside_at) where set_aside_at is not null;

-- The case opener records a 4xx answer of the onboarding service and stops retrying that
-- opening (services/clients/workers/case_opener.py); only openings still to try are due.
alter table clients.case_openings
    add column rejected_at timestamptz,
    add column last_status integer;
create index case_openings_to_try on clients.case_openings (next_attempt_at)
    where opened_at is null and rejected_at is null;
drop index clients.case_openings_due;
