"""Verification cases still to be opened at the onboarding service (retried with backoff)."""

from uuid import UUID

import asyncpg


async def insert_case_opening(conn: asyncpg.Connection, *, case_id: UUID, client_id: UUID,
                              firm_id: UUID, contact_email: str) -> None:
    await conn.execute(
        "insert into clients.case_openings (case_id, client_id, firm_id, contact_email)"
        " values ($1, $2, $3, $4)", case_id, client_id, firm_id, contact_email)


async def next_due(conn: asyncpg.Connection,
                   case_id: UUID | None = None) -> asyncpg.Record | None:
    """One due opening (or the pending one of `case_id`), locked so a second instance skips it."""
    if case_id is not None:
        return await conn.fetchrow(
            """select case_id, client_id, firm_id, contact_email, attempts
                 from clients.case_openings
                where case_id = $1 and opened_at is null for update skip locked""", case_id)
    return await conn.fetchrow(
        """select case_id, client_id, firm_id, contact_email, attempts
             from clients.case_openings
            where opened_at is null and next_attempt_at <= now()
            order by next_attempt_at
            limit 1 for update skip locked""")


async def mark_opened(conn: asyncpg.Connection, case_id: UUID) -> None:
    await conn.execute(
        "update clients.case_openings set opened_at = now(), attempts = attempts + 1,"
        " last_error = null where case_id = $1", case_id)


async def mark_failed(conn: asyncpg.Connection, case_id: UUID, error: str,
                      retry_in_seconds: float) -> None:
    await conn.execute(
        """update clients.case_openings
              set attempts = attempts + 1, last_error = $2,
                  next_attempt_at = now() + make_interval(secs => $3)
            where case_id = $1""", case_id, error[:2000], retry_in_seconds)


async def seconds_until_next(conn: asyncpg.Connection | asyncpg.Pool) -> float | None:
    """How long until the earliest pending opening is due; None when none is pending."""
    seconds = await conn.fetchval(
        "select extract(epoch from min(next_attempt_at) - now())::float8"
        " from clients.case_openings where opened_at is null")
    return None if seconds is None else max(0.0, seconds)
