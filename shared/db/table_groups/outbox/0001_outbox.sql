-- Events the service announces, written in the transaction of the change (shared.db.outbox).
create table {schema}.outbox (
    id bigserial primary key,
    topic text not null,
    key text,
    event jsonb not null,
    created_at timestamptz not null default now(),
    published_at timestamptz,
    -- A row that can never be published (too large for its topic, a topic that does not
    -- exist) is set aside with its error and attempt count; the rows after it go on.
    attempts integer not null default 0,
    last_error text,
    set_aside_at timestamptz
);
-- The relay's scan: rows still to publish, set-aside ones skipped.
create index outbox_pending on {schema}.outbox (id) where published_at is null and set_aside_at is null;
create index outbox_set_aside on {schema}.outbox (set_aside_at) where set_aside_at is not null;
-- The relay's hourly prune deletes by age. Rows arrive in time order, so a BRIN index is
-- enough to find the old ones and costs next to nothing per insert (docs/BENCHMARKS.md).
create index outbox_published_at on {schema}.outbox using brin (published_at);
