"""Delegated-access grants ("Go to client")."""

from datetime import datetime
from uuid import UUID

import asyncpg


class AccessGrants:
    def __init__(self, conn: asyncpg.Connection):
        self.conn = conn

    async def add(self, *, grant_id: UUID, firm_id: UUID, client_id: UUID, staff_id: UUID,
                  expires_at: datetime) -> None:
        await self.conn.execute(
            "insert into clients.access_grants (id, firm_id, client_id, staff_id, expires_at)"
            " values ($1, $2, $3, $4, $5)", grant_id, firm_id, client_id, staff_id, expires_at)
