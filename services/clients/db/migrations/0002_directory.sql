-- The firm -> client -> staff graph and the list's read model (PRODUCT sections 1-3).
--
-- `links` holds ONE row per (firm, client) with everything the Clients page filters and
-- sorts on, so every list query is a keyset range scan over one composite index. The
-- figures on it are copies kept in step by triggers (see 0003); `assignments` carries the
-- same sort keys per assigned staff member so "my clients" pages the same way.

-- lower(unaccent(x)) declared IMMUTABLE so generated columns and indexes may use it.
-- unaccent is only STABLE because its dictionary could change; ours never does at runtime.
create function clients.fold_text(text) returns text
    language sql immutable strict parallel safe
    as $$ select lower(public.unaccent('public.unaccent'::regdictionary, $1)) $$;

create table clients.firms (
    id uuid primary key,
    name text not null check (length(name) between 1 and 300),
    created_at timestamptz not null default now()
);

create table clients.staff (
    id uuid primary key,
    firm_id uuid not null references clients.firms (id),
    email text not null,
    name text not null,
    role text not null check (role in ('admin', 'bookkeeper')),
    locale text not null check (locale in ('en', 'nl')),
    active boolean not null default true,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    -- lets assignments reference (staff, firm) so a staff member is only ever assigned
    -- to clients of their own firm
    unique (id, firm_id)
);
create unique index staff_email_per_firm on clients.staff (firm_id, lower(email));

create table clients.companies (
    id uuid primary key,
    name text not null check (length(name) between 1 and 300),
    registration_number text not null default '' check (length(registration_number) <= 64),
    country text not null check (country ~ '^[A-Z]{2}$'),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);

create table clients.links (
    firm_id uuid not null references clients.firms (id),
    client_id uuid not null references clients.companies (id),
    state text not null check (state in ('invitation_pending', 'onboarding', 'active',
                                         'declined', 'rejected', 'disconnected')),
    -- copies of the company, for one-row list pages
    name text not null,
    registration_number text not null,
    country text not null,
    name_key text collate "C" not null generated always as (clients.fold_text(name)) stored,
    search_key text not null
        generated always as (clients.fold_text(name || ' ' || registration_number)) stored,
    -- copies of clients.task_figures (0003 keeps them in step)
    missing_receipts integer not null default 0,
    ready_for_export integer not null default 0,
    wallet_balance_minor bigint,
    wallet_currency text,
    tasks_updated_at timestamptz,
    -- who works on it: [{id, name, role}] and their ids (kept in step by triggers below)
    assignees jsonb not null default '[]',
    assignee_ids uuid[] not null default '{}',
    -- the list item's JSON minus the viewer's own fields, rebuilt on every change, so a
    -- page costs the database a string concatenation per row instead of building objects
    item_json text not null default '',
    -- the furthest verification state seen, so a late event never moves a link backwards
    verification_state text check (verification_state in
                                   ('invited', 'in_review', 'verified', 'rejected', 'expired')),
    case_id uuid,
    created_at timestamptz not null default now(),
    state_changed_at timestamptz not null default now(),
    primary key (firm_id, client_id)
);
create index links_by_client on clients.links (client_id);
-- tab counts: a narrow index-only scan
create index links_tab_count on clients.links (firm_id, state);
-- one index per sort; scanned forwards for asc and backwards for desc. The search key is
-- carried along so that a search walking the name order filters without visiting the heap.
create index links_sort_name on clients.links (firm_id, state, name_key, client_id)
    include (search_key);
create index links_sort_missing on clients.links (firm_id, state, missing_receipts, client_id);
create index links_sort_ready on clients.links (firm_id, state, ready_for_export, client_id);
-- the missing-receipts filter with the other sorts: only the clients that need work
create index links_missing_sort_name on clients.links (firm_id, state, name_key, client_id)
    include (search_key) where missing_receipts > 0;
create index links_missing_sort_ready
    on clients.links (firm_id, state, ready_for_export, client_id)
    where missing_receipts > 0;
create index links_search on clients.links using gin (search_key public.gin_trgm_ops);

create table clients.assignments (
    firm_id uuid not null,
    client_id uuid not null,
    staff_id uuid not null,
    -- copies of the link's sort keys (kept in step by a trigger on links, 0003)
    state text not null,
    name_key text collate "C" not null,
    missing_receipts integer not null,
    ready_for_export integer not null,
    assigned_at timestamptz not null default now(),
    primary key (firm_id, client_id, staff_id),
    foreign key (firm_id, client_id) references clients.links (firm_id, client_id)
        on delete cascade,
    foreign key (staff_id, firm_id) references clients.staff (id, firm_id)
);
create index assignments_tab_count on clients.assignments (staff_id, state);
create index assignments_sort_name
    on clients.assignments (staff_id, state, name_key, client_id);
create index assignments_sort_missing
    on clients.assignments (staff_id, state, missing_receipts, client_id);
create index assignments_sort_ready
    on clients.assignments (staff_id, state, ready_for_export, client_id);
create index assignments_missing_sort_name
    on clients.assignments (staff_id, state, name_key, client_id) where missing_receipts > 0;
create index assignments_missing_sort_ready
    on clients.assignments (staff_id, state, ready_for_export, client_id)
    where missing_receipts > 0;

-- The viewer-independent part of a list item (PRODUCT section 3), as JSON text without its
-- closing brace; db/listing.py appends the viewer's tab and notification setting.
create function clients.build_item_json() returns trigger
    language plpgsql as $$
begin
    new.item_json := rtrim(json_build_object(
        'id', new.client_id,
        'name', new.name,
        'registration_number', new.registration_number,
        'country', new.country,
        'link_state', new.state,
        'assignees', new.assignees,
        'missing_receipts', new.missing_receipts,
        'ready_for_export', new.ready_for_export,
        'wallet_balance', case when new.wallet_currency is null then null
                               else json_build_object('amount_minor', new.wallet_balance_minor,
                                                      'currency', new.wallet_currency) end,
        'tasks_updated_at',
            to_char(new.tasks_updated_at at time zone 'UTC',
                    'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))::text, '}');
    return new;
end $$;
create trigger links_item_json before insert or update on clients.links
    for each row execute function clients.build_item_json();

-- Assignments or a staff member changed: the links concerned list their assignees anew.
create function clients.refresh_assignees(p_firm uuid, p_client uuid) returns void
    language sql as $$
    update clients.links l
       set assignees = coalesce(x.list, '[]'), assignee_ids = coalesce(x.ids, '{}')
      from (select jsonb_agg(jsonb_build_object('id', s.id, 'name', s.name, 'role', s.role)
                             order by s.name, s.id) filter (where s.active) as list,
                   array_agg(s.id order by s.id) as ids
              from clients.assignments a join clients.staff s on s.id = a.staff_id
             where a.firm_id = p_firm and a.client_id = p_client) x
     where l.firm_id = p_firm and l.client_id = p_client
$$;

create function clients.assignments_changed() returns trigger
    language plpgsql as $$
declare
    r record;
begin
    for r in select distinct firm_id, client_id from changed loop
        perform clients.refresh_assignees(r.firm_id, r.client_id);
    end loop;
    return null;
end $$;
create trigger assignments_added after insert on clients.assignments
    referencing new table as changed
    for each statement execute function clients.assignments_changed();
create trigger assignments_removed after delete on clients.assignments
    referencing old table as changed
    for each statement execute function clients.assignments_changed();

create function clients.staff_changed() returns trigger
    language plpgsql as $$
declare
    r record;
begin
    for r in select firm_id, client_id from clients.assignments where staff_id = new.id loop
        perform clients.refresh_assignees(r.firm_id, r.client_id);
    end loop;
    return null;
end $$;
create trigger staff_to_links after update on clients.staff
    for each row
    when (old.name is distinct from new.name or old.role is distinct from new.role
          or old.active is distinct from new.active)
    execute function clients.staff_changed();

-- A company's name or number changed: every link shows the new one.
create function clients.copy_company_to_links() returns trigger
    language plpgsql as $$
begin
    update clients.links
       set name = new.name, registration_number = new.registration_number,
           country = new.country
     where client_id = new.id;
    return null;
end $$;
create trigger companies_to_links after update on clients.companies
    for each row
    when (old.name is distinct from new.name
          or old.registration_number is distinct from new.registration_number
          or old.country is distinct from new.country)
    execute function clients.copy_company_to_links();

-- A link's sort keys changed: its assignment rows carry the same ones.
create function clients.copy_link_to_assignments() returns trigger
    language plpgsql as $$
begin
    update clients.assignments
       set state = new.state, name_key = new.name_key,
           missing_receipts = new.missing_receipts, ready_for_export = new.ready_for_export
     where firm_id = new.firm_id and client_id = new.client_id;
    return null;
end $$;
create trigger links_to_assignments after update on clients.links
    for each row
    when (old.state is distinct from new.state
          or old.name_key is distinct from new.name_key
          or old.missing_receipts is distinct from new.missing_receipts
          or old.ready_for_export is distinct from new.ready_for_export)
    execute function clients.copy_link_to_assignments();
