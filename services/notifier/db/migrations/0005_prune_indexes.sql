-- The relay's hourly prune (shared.db.outbox) deletes by age. Rows arrive in time order, so
-- a BRIN index is enough to find the old ones and costs next to nothing per insert: over
-- 3 million processed ids, deleting one day's worth took 574 ms as a sequential scan and
-- 58 ms with it (24 kB of index; docs/BENCHMARKS.md).
create index processed_events_processed_at on notifier.processed_events using brin (processed_at);
create index outbox_published_at on notifier.outbox using brin (published_at);
