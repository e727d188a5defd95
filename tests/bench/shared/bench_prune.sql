-- The relay's hourly prune over a month of processed-event ids, without and with the BRIN
-- index of the *_prune_indexes migrations. Run by hand (it works in a scratch table):
--   psql postgresql://portal:portal@127.0.0.1:5432/partner_portal -f tests/bench/shared/bench_prune.sql
drop table if exists public.prune_bench;
create table public.prune_bench (
    consumer text not null,
    event_id text not null,
    processed_at timestamptz not null default now(),
    primary key (consumer, event_id)
);
-- 3 million ids over 31 days, in arrival order (about 1.1 events a second).
insert into public.prune_bench
select 'notifier.expenses', md5(g::text), now() - interval '31 days' + g * interval '0.9 second'
from generate_series(1, 3000000) g;
vacuum analyze public.prune_bench;

begin;
explain (analyze, costs off)
delete from public.prune_bench where processed_at < now() - interval '30 days';
rollback;

create index prune_bench_processed_at on public.prune_bench using brin (processed_at);
vacuum analyze public.prune_bench;

begin;
explain (analyze, costs off)
delete from public.prune_bench where processed_at < now() - interval '30 days';
rollback;

select pg_size_pretty(pg_relation_size('public.prune_bench')) as heap,
       pg_size_pretty(pg_relation_size('public.prune_bench_processed_at')) as brin_index;
drop table public.prune_bench;
