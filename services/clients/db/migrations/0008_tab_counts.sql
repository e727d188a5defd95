-- Tab counts without counting (issue 13): how many links each firm has per state, and how
-- many assignments each staff member has per state, kept by triggers in the same
-- transaction as the change that moves them, so /v1/clients/tabs reads a few rows.
--
-- Concurrency. A count goes up by `insert ... on conflict do update set n = n + excluded.n`
-- and down by `update ... set n = n - 1` (a check constraint is tested on the row an insert
-- proposes, before any conflict, so -1 cannot go through the upsert); both wait for the row
-- lock of a concurrent mover and apply to its committed value, so no update is lost.
-- Counter rows are hot (every move in a firm touches the same few) and one transaction may
-- move several (replacing assignees lowers one staff member's count and raises another's;
-- a consumer's batch moves links of several firms), so taking them as the rows change
-- would deadlock: against another transaction taking them in the other order, or against
-- one that locked a link (links.lock_link) and waits for a counter while we wait for that
-- link. So the triggers are deferred to the commit, when the transaction takes no more
-- link locks, and the first of them takes one transaction-level advisory lock that orders
-- all count moves: while a transaction moves counters no other one holds any, so nothing
-- waits in a circle. It is held from the commit's start to its end (a few row updates and
-- the WAL flush); only transactions that move a link or assignment between states take it.
-- `n >= 0` and the raise on a missing row make a drift fail loudly instead of showing a
-- wrong tab.

create table clients.link_counts (
    firm_id uuid not null,
    state text not null,
    n integer not null check (n >= 0),
    primary key (firm_id, state)
);

-- Assignments always belong to their staff member's own firm (0002), so staff alone keys them.
create table clients.assignment_counts (
    staff_id uuid not null,
    state text not null,
    n integer not null check (n >= 0),
    primary key (staff_id, state)
);

-- The lock that orders all count moves (13, 1: this migration's issue, its first lock).
create function clients.lock_counts() returns void
    language sql as $$ select pg_advisory_xact_lock(13, 1) $$;

create function clients.count_links() returns trigger
    language plpgsql as $$
begin
    perform clients.lock_counts();
    if tg_op in ('UPDATE', 'DELETE') then
        update clients.link_counts set n = n - 1 where firm_id = old.firm_id and state = old.state;
        if not found then
            raise exception 'no link count of firm % in state % to lower', old.firm_id, old.state;
        end if;
    end if;
    if tg_op in ('UPDATE', 'INSERT') then
        insert into clients.link_counts as c (firm_id, state, n) values (new.firm_id, new.state, 1)
            on conflict (firm_id, state) do update set n = c.n + excluded.n;
    end if;
    return null;
end $$;
create constraint trigger links_counted after insert or delete on clients.links
    deferrable initially deferred
    for each row execute function clients.count_links();
-- Only a move between states or firms queues it: the figures' hot path never does.
create constraint trigger links_recounted after update of state, firm_id on clients.links
    deferrable initially deferred
    for each row
    when (old.state is distinct from new.state or old.firm_id is distinct from new.firm_id)
    execute function clients.count_links();

create function clients.count_assignments() returns trigger
    language plpgsql as $$
begin
    perform clients.lock_counts();
    if tg_op in ('UPDATE', 'DELETE') then
        update clients.assignment_counts set n = n - 1
         where staff_id = old.staff_id and state = old.state;
        if not found then
            raise exception 'no assignment count of staff % in state % to lower',
                old.staff_id, old.state;
        end if;
    end if;
    if tg_op in ('UPDATE', 'INSERT') then
        insert into clients.assignment_counts as c (staff_id, state, n)
            values (new.staff_id, new.state, 1)
            on conflict (staff_id, state) do update set n = c.n + excluded.n;
    end if;
    return null;
end $$;
create constraint trigger assignments_counted after insert or delete on clients.assignments
    deferrable initially deferred
    for each row execute function clients.count_assignments();
-- A link's state change reaches its assignment rows through links_to_assignments (0002).
create constraint trigger assignments_recounted after update of state, staff_id, firm_id
    on clients.assignments
    deferrable initially deferred
    for each row
    when (old.state is distinct from new.state or old.staff_id is distinct from new.staff_id
          or old.firm_id is distinct from new.firm_id)
    execute function clients.count_assignments();

-- The counts of the rows that exist now. Creating the triggers waited for every writer
-- then at work and keeps new ones waiting until this transaction commits (as does the
-- explicit lock), so each row is counted exactly once: here or by a trigger.
lock table clients.links, clients.assignments in share mode;
insert into clients.link_counts (firm_id, state, n)
    select firm_id, state, count(*) from clients.links group by firm_id, state;
insert into clients.assignment_counts (staff_id, state, n)
    select staff_id, state, count(*) from clients.assignments group by staff_id, state;

-- Only the counting of tabs read these; (firm, state) and (staff, state) lead the sort indexes.
drop index clients.links_tab_count;
drop index clients.assignments_tab_count;
