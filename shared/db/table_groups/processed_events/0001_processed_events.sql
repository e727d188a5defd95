-- Events the service's consumers have applied (shared.db.idempotency).
create table {schema}.processed_events (
    consumer text not null,
    event_id text not null,
    processed_at timestamptz not null default now(),
    primary key (consumer, event_id)
);
-- The relay's hourly prune deletes by age. Ids arrive in time order, so a BRIN index finds
-- the old ones for next to nothing: over 3 million ids, deleting one day's worth took 574 ms
-- as a sequential scan and 58 ms with it (24 kB of index; docs/BENCHMARKS.md).
create index processed_events_processed_at on {schema}.processed_events using brin (processed_at);
