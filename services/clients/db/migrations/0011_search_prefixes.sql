-- Search in two tiers (PRODUCT 3; services/clients/README.md "Search"): the clients where
-- `q` starts a word of the folded name or registration number come first, in the list's
-- order, then those where it only occurs inside a word.
--
-- The first tier of the common search (name order, a firm's tab, q of 3 or more letters)
-- is one keyset range scan here: one row per link and distinct three-letter start of the
-- search key at a word start, indexed in the list's name order under that start. Rows
-- are copies of the link's state and keys, rewritten when those change (rarely: figures
-- never touch them).

create table clients.search_prefixes (
    firm_id uuid not null,
    client_id uuid not null,
    prefix text collate "C" not null,
    state text not null,
    name_key text collate "C" not null,
    search_key text not null,
    primary key (firm_id, client_id, prefix),
    foreign key (firm_id, client_id) references clients.links (firm_id, client_id)
        on delete cascade
);
create index search_prefixes_by_name
    on clients.search_prefixes (firm_id, state, prefix, name_key, client_id)
    include (search_key);

-- The distinct three-character starts of `key` at its word starts. Three: the shortest
-- query the trigram index serves too, and a handful of rows per client (db/listing.py's
-- PREFIX_LENGTH is the same number).
create function clients.word_prefixes(key text) returns setof text
    language sql immutable parallel safe
    as $$ select distinct left(substr(key, p), 3)
            from generate_series(1, char_length(key) - 2) p
           where (p = 1 or substr(key, p - 1, 1) = ' ') and substr(key, p, 1) <> ' ' $$;

create function clients.index_search_prefixes() returns trigger
    language plpgsql as $$
begin
    if tg_op = 'UPDATE' then
        delete from clients.search_prefixes
         where firm_id = old.firm_id and client_id = old.client_id;
    end if;
    insert into clients.search_prefixes (firm_id, client_id, prefix, state, name_key,
                                         search_key)
    select new.firm_id, new.client_id, w, new.state, new.name_key, new.search_key
      from clients.word_prefixes(new.search_key) w;
    return null;
end $$;
create trigger links_search_prefixes after insert on clients.links
    for each row execute function clients.index_search_prefixes();
create trigger links_search_prefixes_moved after update on clients.links
    for each row
    when (old.state is distinct from new.state or old.search_key is distinct from new.search_key)
    execute function clients.index_search_prefixes();

insert into clients.search_prefixes (firm_id, client_id, prefix, state, name_key, search_key)
select l.firm_id, l.client_id, w, l.state, l.name_key, l.search_key
  from clients.links l, clients.word_prefixes(l.search_key) w;
