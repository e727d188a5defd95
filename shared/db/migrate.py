"""Numbered SQL migrations per service schema, applied once each under an advisory lock.

Files are `NNNN_slug.sql` in `services/<schema>/db/migrations/`. Each file runs in its own
transaction together with its row in `<schema>.schema_migrations`, so a failed file leaves
nothing half-applied. Editing a file after it was applied is refused (checksum mismatch).

Run: python -m shared.db.migrate        (all services)
"""

import asyncio
import hashlib
import logging
import re
from importlib import resources
from importlib.resources.abc import Traversable

import asyncpg

from shared.log import configure_logging
from shared.settings import Settings

log = logging.getLogger(__name__)

SERVICE_SCHEMAS = ("clients", "onboarding", "notifier")
FILE_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


class MigrationError(RuntimeError):
    """A migration folder or the database's history is not what it should be."""


def migration_files(folder: Traversable) -> list[tuple[int, str, str]]:
    """(version, name, sql) of every migration file in `folder`, in order."""
    found = []
    for entry in folder.iterdir():
        match = FILE_NAME.match(entry.name)
        if match:
            found.append((int(match.group(1)), entry.name, entry.read_text(encoding="utf-8")))
        elif entry.name.endswith(".sql"):
            raise MigrationError(f"badly named migration {entry.name} (want NNNN_slug.sql)")
    found.sort()
    versions = [v for v, _, _ in found]
    if len(set(versions)) != len(versions):
        raise MigrationError(f"two migrations share a number in {folder}")
    return found


async def apply_migrations(conn: asyncpg.Connection, schema: str, folder: Traversable) -> list[str]:
    """Apply the not yet applied files of `folder` to `schema`; return their names."""
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", schema):
        raise MigrationError(f"bad schema name {schema!r}")
    files = migration_files(folder)
    await conn.execute("select pg_advisory_lock(hashtext('migrations:' || $1))", schema)
    try:
        await conn.execute(f"create schema if not exists {schema}")
        await conn.execute(
            f"create table if not exists {schema}.schema_migrations ("
            " version int primary key, name text not null, checksum text not null,"
            " applied_at timestamptz not null default now())"
        )
        applied = {r["version"]: r for r in await conn.fetch(
            f"select version, name, checksum from {schema}.schema_migrations")}
        done = []
        for version, name, sql in files:
            checksum = hashlib.sha256(sql.encode()).hexdigest()
            if version in applied:
                if applied[version]["checksum"] != checksum:
                    raise MigrationError(f"{schema}/{name} changed after it was applied")
                continue
            async with conn.transaction():
                await conn.execute(sql)
                await conn.execute(
                    f"insert into {schema}.schema_migrations (version, name, checksum)"
                    " values ($1, $2, $3)", version, name, checksum)
            log.info("migration applied", extra={"schema": schema, "migration": name})
            done.append(name)
        return done
    finally:
        await conn.execute("select pg_advisory_unlock(hashtext('migrations:' || $1))", schema)


def service_migrations(schema: str) -> Traversable:
    """The migrations folder of service `schema`."""
    return resources.files(f"services.{schema}.db") / "migrations"


async def migrate_all(dsn: str, schemas: tuple[str, ...] = SERVICE_SCHEMAS) -> dict[str, list[str]]:
    """Apply every service's migrations; return what was applied per schema."""
    conn = await asyncpg.connect(dsn)
    try:
        return {s: await apply_migrations(conn, s, service_migrations(s)) for s in schemas}
    finally:
        await conn.close()


async def main() -> None:
    settings = Settings()
    configure_logging("migrate", settings.log_level)
    applied = await migrate_all(settings.database_url)
    total = sum(len(v) for v in applied.values())
    print(f"migrations up to date ({total} applied: "
          + ", ".join(f"{s}={len(v)}" for s, v in applied.items()) + ")")


if __name__ == "__main__":
    asyncio.run(main())
