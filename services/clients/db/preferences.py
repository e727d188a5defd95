"""Notification settings per (staff member, client)."""

from collections.abc import Sequence
from uuid import UUID

import asyncpg

from services.clients.domain.notifications import OFF, Preference


def _preference(row: asyncpg.Record | None) -> Preference:
    if row is None:
        return OFF
    return Preference(email=row["email"], frequency=row["frequency"],
                      changed_at=row["changed_at"], first_digest_at=row["first_digest_at"])


async def get_preference(conn: asyncpg.Connection | asyncpg.Pool, staff_id: UUID,
                         client_id: UUID, *, lock: bool = False) -> Preference:
    row = await conn.fetchrow(
        "select email, frequency, changed_at, first_digest_at"
        " from clients.notification_preferences where staff_id = $1 and client_id = $2"
        + (" for update" if lock else ""), staff_id, client_id)
    return _preference(row)


async def save_preference(conn: asyncpg.Connection, staff_id: UUID, client_id: UUID,
                          pref: Preference) -> None:
    await conn.execute(
        """insert into clients.notification_preferences
               (staff_id, client_id, email, frequency, changed_at, first_digest_at)
           values ($1, $2, $3, $4, $5, $6)
           on conflict (staff_id, client_id) do update set
               email = excluded.email, frequency = excluded.frequency,
               changed_at = excluded.changed_at, first_digest_at = excluded.first_digest_at""",
        staff_id, client_id, pref.email, pref.frequency, pref.changed_at, pref.first_digest_at)


async def turn_email_off(conn: asyncpg.Connection, staff_id: UUID,
                         client_ids: Sequence[UUID]) -> list[asyncpg.Record]:
    """Switch email off where it is on; the rows that changed (a repeat changes none)."""
    return await conn.fetch(
        """update clients.notification_preferences
              set email = false, first_digest_at = null, changed_at = now()
            where staff_id = $1 and client_id = any($2::uuid[]) and email
        returning client_id, frequency, changed_at""",
        staff_id, list(client_ids))
