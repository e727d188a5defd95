"""The audit log: who of a firm did what to which client."""

from uuid import UUID

import asyncpg


class AuditLog:
    def __init__(self, conn: asyncpg.Connection):
        self.conn = conn

    async def add(self, *, firm_id: UUID, staff_id: UUID | None, action: str,
                  client_id: UUID | None, details: dict | None = None) -> None:
        await self.conn.execute(
            "insert into clients.audit_log (firm_id, staff_id, action, client_id, details)"
            " values ($1, $2, $3, $4, $5)", firm_id, staff_id, action, client_id,
            details or {})
