-- Verification cases: one per (client, firm), opened when an admin invites a client.
create table onboarding.verification_cases (
    id uuid primary key,
    client_id uuid not null,
    firm_id uuid not null,
    contact_email text not null,
    state text not null default 'invited'
        check (state in ('invited', 'in_review', 'verified', 'rejected', 'expired')),
    -- Number of states the case has been in (1 = opened); the events' `sequence`.
    version int not null default 1,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    unique (client_id, firm_id)
);

-- The expiry job looks for cases in given states, oldest first.
create index verification_cases_state_age on onboarding.verification_cases (state, created_at);

-- Every state a case entered, in order (the opening is the row with from_state null).
create table onboarding.case_transitions (
    id bigserial primary key,
    case_id uuid not null references onboarding.verification_cases (id),
    version int not null,
    from_state text,
    to_state text not null,
    reason text,
    -- Who moved it: 'internal' (opened), 'webhook' (the provider) or 'expiry' (the job).
    source text not null check (source in ('internal', 'webhook', 'expiry')),
    -- SHA-256 of the raw body of the webhook that caused it: audit, and exact-replay detection.
    webhook_sha256 text,
    event_id text not null,
    occurred_at timestamptz not null default now(),
    unique (case_id, version)
);

create unique index case_transitions_webhook on onboarding.case_transitions (case_id, webhook_sha256)
    where webhook_sha256 is not null;
