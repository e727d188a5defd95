"""Delegated-access grants ("Go to client")."""

from datetime import datetime
from uuid import UUID

import asyncpg


async def insert_grant(conn: asyncpg.Connection, *, grant_id: UUID, firm_id: UUID,
                       client_id: UUID, staff_id: UUID, expires_at: datetime) -> None:
    await conn.execute(
        "insert into clients.access_grants (id, firm_id, client_id, staff_id, expires_at)"
        " values ($1, $2, $3, $4, $5)", grant_id, firm_id, client_id, staff_id, expires_at)
