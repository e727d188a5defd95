"""Firms, staff and client companies: the rows the internal routes create and auth reads."""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

import asyncpg

from shared.events.schemas import Locale, Role

STAFF_COLUMNS = "id, firm_id, email, name, role, locale, active"
COMPANY_COLUMNS = "id, name, registration_number, country"


@dataclass(frozen=True, slots=True)
class Firm:
    id: UUID
    name: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Staff:
    id: UUID
    firm_id: UUID
    email: str
    name: str
    role: Role
    locale: Locale
    active: bool


@dataclass(frozen=True, slots=True)
class Assignable:
    """An active staff member as the choices for a client's assignees show them."""

    id: UUID
    name: str
    role: Role


@dataclass(frozen=True, slots=True)
class Company:
    id: UUID
    name: str
    registration_number: str
    country: str


def _staff(row: asyncpg.Record | None) -> Staff | None:
    return Staff(**dict(row)) if row else None


def _company(row: asyncpg.Record | None) -> Company | None:
    return Company(**dict(row)) if row else None


class Directory:
    """Firms, their staff and the client companies, over one connection."""

    def __init__(self, conn: asyncpg.Connection):
        self.conn = conn

    async def insert_firm(self, firm_id: UUID, name: str) -> Firm:
        return Firm(**dict(await self.conn.fetchrow(
            "insert into clients.firms (id, name) values ($1, $2)"
            " returning id, name, created_at", firm_id, name)))

    async def firm_exists(self, firm_id: UUID) -> bool:
        return await self.conn.fetchval(
            "select exists(select 1 from clients.firms where id = $1)", firm_id)

    async def insert_staff(self, *, staff_id: UUID, firm_id: UUID, email: str, name: str,
                           role: Role, locale: Locale) -> Staff | None:
        """The new staff member, or None when the firm already has someone with that email."""
        return _staff(await self.conn.fetchrow(
            f"""insert into clients.staff (id, firm_id, email, name, role, locale)
                values ($1, $2, $3, $4, $5, $6)
                on conflict (firm_id, lower(email)) do nothing
                returning {STAFF_COLUMNS}""",
            staff_id, firm_id, email, name, role, locale))

    async def update_staff(self, staff_id: UUID, changes: dict) -> Staff | None:
        """Apply `changes` (name, role, locale, active) to a staff member; None if unknown."""
        allowed = [c for c in ("name", "role", "locale", "active") if c in changes]
        sets = ", ".join(f"{c} = ${i}" for i, c in enumerate(allowed, start=2))
        sets = (sets + ", " if sets else "") + "updated_at = now()"
        return _staff(await self.conn.fetchrow(
            f"update clients.staff set {sets} where id = $1 returning {STAFF_COLUMNS}",
            staff_id, *(changes[c] for c in allowed)))

    async def staff(self, staff_id: UUID) -> Staff | None:
        return _staff(await self.conn.fetchrow(
            f"select {STAFF_COLUMNS} from clients.staff where id = $1", staff_id))

    async def active_staff_of_firm(self, firm_id: UUID,
                                   staff_ids: list[UUID]) -> list[Assignable]:
        rows = await self.conn.fetch(
            "select id, name, role from clients.staff"
            " where firm_id = $1 and active and id = any($2::uuid[])", firm_id, staff_ids)
        return [Assignable(**dict(r)) for r in rows]

    async def active_staff(self, firm_id: UUID) -> list[Assignable]:
        """Every active staff member of a firm, by name (whom an admin may assign)."""
        rows = await self.conn.fetch(
            "select id, name, role from clients.staff where firm_id = $1 and active"
            " order by name, id", firm_id)
        return [Assignable(**dict(r)) for r in rows]

    async def insert_company(self, *, client_id: UUID, name: str, registration_number: str,
                             country: str) -> Company | None:
        """The new company, or None when the id is taken."""
        return _company(await self.conn.fetchrow(
            f"""insert into clients.companies (id, name, registration_number, country)
                values ($1, $2, $3, $4) on conflict (id) do nothing
                returning {COMPANY_COLUMNS}""",
            client_id, name, registration_number, country))

    async def upsert_company(self, *, client_id: UUID, name: str, registration_number: str,
                             country: str) -> None:
        """Create the company or take the platform's newest name and number for it."""
        await self.conn.execute(
            """insert into clients.companies as c (id, name, registration_number, country)
               values ($1, $2, $3, $4)
               on conflict (id) do update set
                   name = excluded.name, registration_number = excluded.registration_number,
                   country = excluded.country, updated_at = now()
               where (c.name, c.registration_number, c.country)
                     is distinct from (excluded.name, excluded.registration_number,
                                       excluded.country)""",
            client_id, name, registration_number, country)

    async def company(self, client_id: UUID) -> Company | None:
        return _company(await self.conn.fetchrow(
            f"select {COMPANY_COLUMNS} from clients.companies where id = $1", client_id))
