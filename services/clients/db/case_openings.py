"""Verification cases still to be opened at the onboarding service (retried with backoff).

An opening is claimed with a lease in one short transaction, called without any
transaction or lock held, and its outcome recorded in another: opened, refused for good
(the onboarding service answered 4xx), or due again after a backoff. A claimer that dies
mid-call leaves the row due again once the lease is over.
"""

from dataclasses import dataclass
from uuid import UUID

import asyncpg


@dataclass(frozen=True, slots=True)
class CaseOpening:
    case_id: UUID
    client_id: UUID
    firm_id: UUID
    contact_email: str
    attempts: int


class CaseOpenings:
    """The openings an invite queues, in the invite's transaction."""

    def __init__(self, conn: asyncpg.Connection):
        self.conn = conn

    async def add(self, *, case_id: UUID, client_id: UUID, firm_id: UUID,
                  contact_email: str) -> None:
        await self.conn.execute(
            "insert into clients.case_openings (case_id, client_id, firm_id, contact_email)"
            " values ($1, $2, $3, $4)", case_id, client_id, firm_id, contact_email)


# The case opener's own statements: each one a transaction of its own, on the pool.


_CLAIM = """
update clients.case_openings o
   set attempts = o.attempts + 1, next_attempt_at = now() + make_interval(secs => $1)
  from (select case_id from clients.case_openings
         where opened_at is null and rejected_at is null and {due}
         order by next_attempt_at limit 1 for update skip locked) as picked
 where o.case_id = picked.case_id
returning o.case_id, o.client_id, o.firm_id, o.contact_email, o.attempts
"""
_CLAIM_DUE = _CLAIM.format(due="next_attempt_at <= now()")
_CLAIM_ONE = _CLAIM.format(due="case_id = $2")


async def claim(pool: asyncpg.Pool, *, lease_seconds: float,
                case_id: UUID | None = None) -> CaseOpening | None:
    """Claim the most overdue opening (or that of `case_id`, due or not) for one call.

    Counts the attempt and pushes the row one lease ahead, in a transaction of its own.
    """
    if case_id is None:
        row = await pool.fetchrow(_CLAIM_DUE, lease_seconds)
    else:
        row = await pool.fetchrow(_CLAIM_ONE, lease_seconds, case_id)
    return CaseOpening(**dict(row)) if row else None


async def mark_opened(pool: asyncpg.Pool, case_id: UUID) -> None:
    await pool.execute(
        "update clients.case_openings set opened_at = now(), last_error = null,"
        " last_status = null where case_id = $1 and opened_at is null", case_id)


async def mark_rejected(pool: asyncpg.Pool, case_id: UUID, status: int, error: str) -> None:
    """The onboarding service refused it (4xx): recorded, never tried again by itself."""
    await pool.execute(
        "update clients.case_openings set rejected_at = now(), last_status = $2,"
        " last_error = $3 where case_id = $1 and opened_at is null",
        case_id, status, error[:2000])


async def mark_failed(pool: asyncpg.Pool, case_id: UUID, status: int | None, error: str,
                      retry_in_seconds: float) -> None:
    """A try that may work later (5xx, timeout, no connection): due again after a backoff."""
    await pool.execute(
        """update clients.case_openings
              set last_status = $2, last_error = $3,
                  next_attempt_at = now() + make_interval(secs => $4)
            where case_id = $1 and opened_at is null""",
        case_id, status, error[:2000], retry_in_seconds)


async def seconds_until_next(pool: asyncpg.Pool) -> float | None:
    """How long until the earliest opening still to try is due; None when there is none."""
    seconds = await pool.fetchval(
        "select extract(epoch from min(next_attempt_at) - now())::float8"
        " from clients.case_openings where opened_at is null and rejected_at is null")
    return None if seconds is None else max(0.0, seconds)
