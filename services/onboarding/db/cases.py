"""Repository of verification cases and their transitions: the only SQL of the service."""

from collections.abc import Iterable
from datetime import datetime
from uuid import UUID

import asyncpg

from services.onboarding.domain.cases import Case, Transition

CASE_COLUMNS = ("id, client_id, firm_id, contact_email, state, version, created_at,"
                " updated_at")


def _case(row: asyncpg.Record | None) -> Case | None:
    return Case(**dict(row)) if row else None


async def insert_case(conn: asyncpg.Connection, *, case_id: UUID, client_id: UUID,
                      firm_id: UUID, contact_email: str, at: datetime) -> Case | None:
    """Insert a new `invited` case; None when the id or (client, firm) already exists."""
    row = await conn.fetchrow(
        "insert into onboarding.verification_cases"
        " (id, client_id, firm_id, contact_email, created_at, updated_at)"
        " values ($1, $2, $3, $4, $5, $5) on conflict do nothing"
        f" returning {CASE_COLUMNS}",
        case_id, client_id, firm_id, contact_email, at)
    return _case(row)


async def find_case_of(conn: asyncpg.Connection, client_id: UUID, firm_id: UUID) -> Case | None:
    """The case of (client, firm), if any."""
    return _case(await conn.fetchrow(
        f"select {CASE_COLUMNS} from onboarding.verification_cases"
        " where client_id = $1 and firm_id = $2", client_id, firm_id))


async def get_case(conn: asyncpg.Connection, case_id: UUID, *,
                   for_update: bool = False) -> Case | None:
    """The case `case_id`; with `for_update`, locked until the transaction ends."""
    lock = " for update" if for_update else ""
    return _case(await conn.fetchrow(
        f"select {CASE_COLUMNS} from onboarding.verification_cases where id = $1{lock}",
        case_id))


async def set_state(conn: asyncpg.Connection, case_id: UUID, *, state: str, version: int,
                    at: datetime) -> Case:
    """Move the case to `state` as its `version`; return it as it now is."""
    return _case(await conn.fetchrow(
        "update onboarding.verification_cases set state = $2, version = $3, updated_at = $4"
        f" where id = $1 returning {CASE_COLUMNS}", case_id, state, version, at))


async def add_transition(conn: asyncpg.Connection, *, case_id: UUID, transition: Transition
                         ) -> None:
    """Append one entry to the case's history."""
    t = transition
    await conn.execute(
        "insert into onboarding.case_transitions (case_id, version, from_state, to_state,"
        " reason, source, webhook_sha256, event_id, occurred_at)"
        " values ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        case_id, t.version, t.from_state, t.to_state, t.reason, t.source, t.webhook_sha256,
        t.event_id, t.occurred_at)


async def webhook_applied(conn: asyncpg.Connection, case_id: UUID, body_sha256: str) -> bool:
    """True when a webhook with exactly this body already moved the case."""
    return bool(await conn.fetchval(
        "select exists (select 1 from onboarding.case_transitions"
        " where case_id = $1 and webhook_sha256 = $2)", case_id, body_sha256))


async def list_transitions(conn: asyncpg.Connection, case_id: UUID) -> list[Transition]:
    """The case's history, oldest first."""
    rows = await conn.fetch(
        "select version, from_state, to_state, reason, source, webhook_sha256, event_id,"
        " occurred_at from onboarding.case_transitions where case_id = $1 order by version",
        case_id)
    return [Transition(**dict(r)) for r in rows]


async def try_job_lock(conn: asyncpg.Connection, job: str) -> bool:
    """Take the transaction-scoped lock of `job`; False when another process holds it."""
    return bool(await conn.fetchval(
        "select pg_try_advisory_xact_lock(hashtext('onboarding:' || $1))", job))


async def lock_expirable(conn: asyncpg.Connection, *, states: Iterable[str],
                         opened_before: datetime, limit: int) -> list[Case]:
    """Cases in `states` opened before `opened_before`, oldest first, locked (skip locked)."""
    rows = await conn.fetch(
        f"select {CASE_COLUMNS} from onboarding.verification_cases"
        " where state = any($1::text[]) and created_at < $2"
        " order by created_at limit $3 for update skip locked",
        sorted(states), opened_before, limit)
    return [_case(r) for r in rows]
