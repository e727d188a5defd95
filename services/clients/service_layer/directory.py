"""The internal routes' use cases: firms, staff, client companies and direct links."""

import uuid
from uuid import UUID

from services.clients.db import directory as db
from services.clients.db.links import insert_audit, insert_link, lock_link
from services.clients.domain import announcements
from services.clients.domain.errors import Conflict, NotFound
from services.clients.runtime import Runtime

DIRECT_LINK_STATES = ("active", "invitation_pending")


async def create_firm(rt: Runtime, *, name: str) -> dict:
    async with rt.pool.acquire() as conn:
        return dict(await db.insert_firm(conn, uuid.uuid4(), name))


async def create_staff(rt: Runtime, *, firm_id: UUID, email: str, name: str, role: str,
                       locale: str) -> dict:
    """A new staff member of `firm_id`, announced as staff.upserted."""
    async with rt.pool.acquire() as conn, conn.transaction():
        if not await db.firm_exists(conn, firm_id):
            raise NotFound("no such firm", code="firm_not_found")
        row = await db.insert_staff(conn, staff_id=uuid.uuid4(), firm_id=firm_id, email=email,
                                    name=name, role=role, locale=locale)
        if row is None:
            raise Conflict("this firm already has a staff member with that email",
                           code="staff_email_taken")
        await rt.announcer.add(conn, announcements.staff_upserted(**_staff_fields(row)))
        return dict(row)


async def update_staff(rt: Runtime, *, staff_id: UUID, changes: dict) -> dict:
    """Change a staff member (name, role, locale, active), announced as staff.upserted."""
    async with rt.pool.acquire() as conn, conn.transaction():
        row = await db.update_staff(conn, staff_id, changes)
        if row is None:
            raise NotFound("no such staff member", code="staff_not_found")
        await rt.announcer.add(conn, announcements.staff_upserted(**_staff_fields(row)))
        return dict(row)


def _staff_fields(row) -> dict:
    return {"staff_id": row["id"], "firm_id": row["firm_id"], "email": row["email"],
            "name": row["name"], "role": row["role"], "locale": row["locale"],
            "active": row["active"]}


async def create_client(rt: Runtime, *, name: str, registration_number: str, country: str,
                        client_id: UUID | None = None) -> dict:
    async with rt.pool.acquire() as conn:
        row = await db.insert_company(conn, client_id=client_id or uuid.uuid4(), name=name,
                                      registration_number=registration_number, country=country)
    if row is None:
        raise Conflict("a client company with this id exists", code="client_id_taken")
    return dict(row)


async def link_client(rt: Runtime, *, firm_id: UUID, client_id: UUID,
                      state: str) -> tuple[dict, bool]:
    """Link a company to a firm directly; (link, created). Repeating it is harmless."""
    async with rt.pool.acquire() as conn, conn.transaction():
        if not await db.firm_exists(conn, firm_id):
            raise NotFound("no such firm", code="firm_not_found")
        if await db.get_company(conn, client_id) is None:
            raise NotFound("no such client company", code="client_not_found")
        row = await insert_link(conn, firm_id=firm_id, client_id=client_id, state=state)
        if row is None:
            existing = await lock_link(conn, firm_id, client_id)
            if existing["state"] != state:
                raise Conflict(f"the client is already linked to this firm as"
                               f" {existing['state']!r}", code="already_linked",
                               details={"link_state": existing["state"]})
            return _link_fields(existing), False
        await rt.announcer.add(conn, announcements.client_upserted(
            client_id=client_id, firm_id=firm_id, name=row["name"], link_state=state))
        await insert_audit(conn, firm_id=firm_id, staff_id=None, action="link.created",
                           client_id=client_id, details={"state": state, "by": "internal"})
        return _link_fields(row), True


def _link_fields(row) -> dict:
    return {"firm_id": row["firm_id"], "client_id": row["client_id"], "state": row["state"],
            "name": row["name"]}
