"""Notification settings per (staff member, client)."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

import asyncpg

from services.clients.domain.notifications import OFF, Preference
from shared.events.schemas import Frequency


@dataclass(frozen=True, slots=True)
class TurnedOff:
    """A setting whose email an unsubscribe switched off."""

    client_id: UUID
    frequency: Frequency
    changed_at: datetime


class Preferences:
    def __init__(self, conn: asyncpg.Connection):
        self.conn = conn

    async def get(self, staff_id: UUID, client_id: UUID, *, lock: bool = False) -> Preference:
        row = await self.conn.fetchrow(
            "select email, frequency, changed_at, first_digest_at"
            " from clients.notification_preferences where staff_id = $1 and client_id = $2"
            + (" for update" if lock else ""), staff_id, client_id)
        return Preference(**dict(row)) if row else OFF

    async def save(self, staff_id: UUID, client_id: UUID, pref: Preference) -> None:
        await self.conn.execute(
            """insert into clients.notification_preferences
                   (staff_id, client_id, email, frequency, changed_at, first_digest_at)
               values ($1, $2, $3, $4, $5, $6)
               on conflict (staff_id, client_id) do update set
                   email = excluded.email, frequency = excluded.frequency,
                   changed_at = excluded.changed_at, first_digest_at = excluded.first_digest_at""",
            staff_id, client_id, pref.email, pref.frequency, pref.changed_at,
            pref.first_digest_at)

    async def turn_email_off(self, staff_id: UUID,
                             client_ids: Sequence[UUID]) -> list[TurnedOff]:
        """Switch email off where it is on; the settings that changed (a repeat changes none)."""
        rows = await self.conn.fetch(
            """update clients.notification_preferences
                  set email = false, first_digest_at = null, changed_at = now()
                where staff_id = $1 and client_id = any($2::uuid[]) and email
            returning client_id, frequency, changed_at""",
            staff_id, list(client_ids))
        return [TurnedOff(**dict(r)) for r in rows]
