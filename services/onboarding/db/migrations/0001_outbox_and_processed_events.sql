-- Events this service announces, written in the transaction of the change (shared.db.outbox).
create table onboarding.outbox (
    id bigserial primary key,
    topic text not null,
    key text,
    event jsonb not null,
    created_at timestamptz not null default now(),
    published_at timestamptz
);
create index outbox_unpublished on onboarding.outbox (id) where published_at is null;

-- Events this service's consumers have applied (shared.db.idempotency).
create table onboarding.processed_events (
    consumer text not null,
    event_id text not null,
    processed_at timestamptz not null default now(),
    primary key (consumer, event_id)
);
