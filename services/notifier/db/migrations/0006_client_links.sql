-- notifier.clients becomes one row per (firm, client) link instead of one per client: a client
-- company linked to two firms is in both firms' digests and reminders, each link with its own
-- name, link_state, assignees and their `updated_at` guards. Until now the second firm's
-- `client.upserted` overwrote the first firm's row. Every existing row is one link, so the
-- data stays as it is; a first firm's link an older event already overwrote comes back with
-- that firm's next `client.upserted` (or a replay of partner.clients.v1).
alter table notifier.clients drop constraint clients_pkey;
alter table notifier.clients add primary key (firm_id, client_id);
