"""Firms, staff and client companies: the rows the internal routes create and auth reads."""

from uuid import UUID

import asyncpg

STAFF_COLUMNS = "id, firm_id, email, name, role, locale, active"


async def insert_firm(conn: asyncpg.Connection, firm_id: UUID, name: str) -> asyncpg.Record:
    return await conn.fetchrow(
        "insert into clients.firms (id, name) values ($1, $2) returning id, name, created_at",
        firm_id, name)


async def firm_exists(conn: asyncpg.Connection, firm_id: UUID) -> bool:
    return await conn.fetchval("select exists(select 1 from clients.firms where id = $1)",
                               firm_id)


async def insert_staff(conn: asyncpg.Connection, *, staff_id: UUID, firm_id: UUID, email: str,
                       name: str, role: str, locale: str) -> asyncpg.Record | None:
    """The new staff row, or None when the firm already has someone with that email."""
    return await conn.fetchrow(
        f"""insert into clients.staff (id, firm_id, email, name, role, locale)
            values ($1, $2, $3, $4, $5, $6)
            on conflict (firm_id, lower(email)) do nothing
            returning {STAFF_COLUMNS}""",
        staff_id, firm_id, email, name, role, locale)


async def update_staff(conn: asyncpg.Connection, staff_id: UUID,
                       changes: dict) -> asyncpg.Record | None:
    """Apply `changes` (name, role, locale, active) to a staff row; None if unknown."""
    allowed = [c for c in ("name", "role", "locale", "active") if c in changes]
    sets = ", ".join(f"{c} = ${i}" for i, c in enumerate(allowed, start=2))
    sets = (sets + ", " if sets else "") + "updated_at = now()"
    return await conn.fetchrow(
        f"update clients.staff set {sets} where id = $1 returning {STAFF_COLUMNS}",
        staff_id, *(changes[c] for c in allowed))


async def get_staff(conn: asyncpg.Connection | asyncpg.Pool,
                    staff_id: UUID) -> asyncpg.Record | None:
    return await conn.fetchrow(f"select {STAFF_COLUMNS} from clients.staff where id = $1",
                               staff_id)


async def active_staff_of_firm(conn: asyncpg.Connection, firm_id: UUID,
                               staff_ids: list[UUID]) -> list[asyncpg.Record]:
    return await conn.fetch(
        "select id, name, role from clients.staff"
        " where firm_id = $1 and active and id = any($2::uuid[])", firm_id, staff_ids)


async def active_staff_list(conn: asyncpg.Connection | asyncpg.Pool,
                            firm_id: UUID) -> list[asyncpg.Record]:
    """Every active staff member of a firm, by name (whom an admin may assign)."""
    return await conn.fetch(
        "select id, name, role from clients.staff where firm_id = $1 and active"
        " order by name, id", firm_id)


async def insert_company(conn: asyncpg.Connection, *, client_id: UUID, name: str,
                         registration_number: str, country: str) -> asyncpg.Record | None:
    """The new company row, or None when the id is taken."""
    return await conn.fetchrow(
        """insert into clients.companies (id, name, registration_number, country)
           values ($1, $2, $3, $4) on conflict (id) do nothing
           returning id, name, registration_number, country""",
        client_id, name, registration_number, country)


async def upsert_company(conn: asyncpg.Connection, *, client_id: UUID, name: str,
                         registration_number: str, country: str) -> None:
    """Create the company or take the platform's newest name and number for it."""
    await conn.execute(
        """insert into clients.companies as c (id, name, registration_number, country)
           values ($1, $2, $3, $4)
           on conflict (id) do update set
               name = excluded.name, registration_number = excluded.registration_number,
               country = excluded.country, updated_at = now()
           where (c.name, c.registration_number, c.country)
                 is distinct from (excluded.name, excluded.registration_number,
                                   excluded.country)""",
        client_id, name, registration_number, country)


async def get_company(conn: asyncpg.Connection, client_id: UUID) -> asyncpg.Record | None:
    return await conn.fetchrow(
        "select id, name, registration_number, country from clients.companies where id = $1",
        client_id)
