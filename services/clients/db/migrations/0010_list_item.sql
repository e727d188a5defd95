-- The Clients list item (PRODUCT section 3), whole, in this one file.
--
-- Most of an item is the same for every viewer: it is rendered when the link changes and
-- stored on the link (`item_head`, by the trigger below), so reading a page costs one
-- concatenation per row. `clients.list_item` adds what depends on the viewer (the tab and
-- the viewer's notification setting) when the page is read; db/listing.py passes the tab,
-- derived from domain/visibility.py's `tab_of`, and the default setting from the domain.
-- The bytes are exactly those items had before this migration (json_build_object's " : "
-- spacing in the stored part, none in the viewer's part).

alter table clients.links rename column item_json to item_head;

-- Timestamps in items: UTC, always six fractional digits, "Z".
create function clients.item_time(ts timestamptz) returns text
    language sql stable parallel safe
    as $$ select to_char(ts at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') $$;

-- The viewer-independent fields, as JSON text without the closing brace.
create or replace function clients.build_item_json() returns trigger
    language plpgsql as $$
begin
    new.item_head := left(json_build_object(
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
        'tasks_updated_at', clients.item_time(new.tasks_updated_at))::text, -1);
    return new;
end $$;

-- The whole item for one viewer. A single-expression SQL function: the planner inlines it
-- into the page statement, so it costs what the concatenation costs.
create function clients.list_item(head text, tab text, email boolean, frequency text,
                                  first_digest_at timestamptz) returns text
    language sql stable parallel safe
    as $$ select head || ',"tab":"' || tab || '","notifications":{"email":' || email
                 || ',"frequency":"' || frequency || '","first_digest_at":'
                 || coalesce(to_json(clients.item_time(first_digest_at))::text, 'null')
                 || '}}' $$;
