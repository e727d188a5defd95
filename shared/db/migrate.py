"""Numbered SQL migrations per service schema, applied once each under an advisory lock.

A service registers what its schema holds as `MIGRATIONS` in its `db` package (a
`ServiceMigrations`): its own files, `NNNN_slug.sql` in its `db/migrations/`, and the
table groups every service may have, `shared/db/table_groups/<group>/NNNN_slug.sql` with
`{schema}` where the schema name goes. Each file runs in its own transaction together with
its row in `<schema>.schema_migrations` (own files) or `<schema>.table_group_migrations`
(groups), so a failed file leaves nothing half-applied. Editing a file after it was applied
is refused (checksum mismatch).

Why groups are a migration set of their own rather than a template the services' files
include: a change to the outbox is then one new file applied to every schema, with its own
history, and a service's history never holds a copy of it.

The three services built these tables with their own files before the groups existed, and
those files stay as they are: they are applied history, and a fresh database still runs
them. So a service says after which of its files the groups come (`table_groups_after`),
and a group's first version, the shape those files had built by then, is recorded for a
schema that already has the group's table (a group is named after it) instead of run. A
service born later gets the groups first, from their first version, then its own files.

Run: python -m shared.db.migrate        (every registered service)
"""

import asyncio
import hashlib
import importlib
import logging
import pkgutil
import re
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable

import asyncpg

from shared.log import configure_logging
from shared.settings import Settings

log = logging.getLogger(__name__)

FILE_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")
NAME = re.compile(r"[a-z_][a-z0-9_]*")
TABLE_GROUPS = resources.files("shared.db") / "table_groups"


class MigrationError(RuntimeError):
    """A migration folder or the database's history is not what it should be."""


@dataclass(frozen=True, slots=True)
class ServiceMigrations:
    """What one service's schema holds: its own migrations and the table groups it has."""

    schema: str
    folder: Traversable
    table_groups: tuple[str, ...] = ()
    # Own files up to this version run before the groups: they predate them.
    table_groups_after: int = 0


@dataclass(frozen=True, slots=True)
class Migration:
    """One numbered SQL file."""

    version: int
    name: str
    sql: str

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.sql.encode()).hexdigest()


def migration_files(folder: Traversable) -> list[Migration]:
    """Every migration file in `folder`, in order."""
    found = []
    for entry in folder.iterdir():
        match = FILE_NAME.match(entry.name)
        if match:
            found.append(Migration(int(match.group(1)), entry.name,
                                   entry.read_text(encoding="utf-8")))
        elif entry.name.endswith(".sql"):
            raise MigrationError(f"badly named migration {entry.name} (want NNNN_slug.sql)")
    found.sort(key=lambda m: m.version)
    versions = [m.version for m in found]
    if len(set(versions)) != len(versions):
        raise MigrationError(f"two migrations share a number in {folder}")
    return found


def table_group_files(group: str) -> list[Migration]:
    """The migrations of table group `group`."""
    folder = TABLE_GROUPS / group
    if not NAME.fullmatch(group) or not folder.is_dir():
        raise MigrationError(f"no table group {group!r}")
    return migration_files(folder)


@dataclass(frozen=True, slots=True)
class _History:
    """Where the applied migrations of one set (a service's own, or a group's) are kept."""

    schema: str
    group: str | None = None

    def label(self, migration: Migration) -> str:
        return f"{self.group}/{migration.name}" if self.group else migration.name

    async def applied(self, conn: asyncpg.Connection) -> dict[int, str]:
        """Checksum per applied version."""
        if self.group is None:
            rows = await conn.fetch(
                f"select version, checksum from {self.schema}.schema_migrations")
        else:
            rows = await conn.fetch(
                f"select version, checksum from {self.schema}.table_group_migrations"
                " where table_group = $1", self.group)
        return {r["version"]: r["checksum"] for r in rows}

    async def built_by_service(self, conn: asyncpg.Connection, migration: Migration) -> bool:
        """Whether the service's own older files already built this group's first version."""
        return self.group is not None and migration.version == 1 and await conn.fetchval(
            "select to_regclass($1) is not null", f"{self.schema}.{self.group}")

    async def run(self, conn: asyncpg.Connection, migration: Migration) -> None:
        await conn.execute(migration.sql.replace("{schema}", self.schema)
                           if self.group else migration.sql)

    async def record(self, conn: asyncpg.Connection, migration: Migration) -> None:
        if self.group is None:
            await conn.execute(
                f"insert into {self.schema}.schema_migrations (version, name, checksum)"
                " values ($1, $2, $3)", migration.version, migration.name, migration.checksum)
        else:
            await conn.execute(
                f"insert into {self.schema}.table_group_migrations"
                " (table_group, version, name, checksum) values ($1, $2, $3, $4)",
                self.group, migration.version, migration.name, migration.checksum)


async def _apply(conn: asyncpg.Connection, history: _History,
                 migrations: list[Migration]) -> list[str]:
    """Apply those of `migrations` not in `history` yet; return their names."""
    applied = await history.applied(conn)
    done = []
    for migration in migrations:
        if migration.version in applied:
            if applied[migration.version] != migration.checksum:
                raise MigrationError(f"{history.schema}/{history.label(migration)}"
                                     " changed after it was applied")
            continue
        built = await history.built_by_service(conn, migration)
        async with conn.transaction():
            if not built:
                await history.run(conn, migration)
            await history.record(conn, migration)
        log.info("migration recorded, the service's own files built it" if built
                 else "migration applied",
                 extra={"schema": history.schema, "migration": history.label(migration)})
        if not built:
            done.append(history.label(migration))
    return done


async def _prepare(conn: asyncpg.Connection, schema: str) -> None:
    """The schema and its two history tables."""
    await conn.execute(f"create schema if not exists {schema}")
    await conn.execute(
        f"create table if not exists {schema}.schema_migrations ("
        " version int primary key, name text not null, checksum text not null,"
        " applied_at timestamptz not null default now())")
    await conn.execute(
        f"create table if not exists {schema}.table_group_migrations ("
        " table_group text not null, version int not null, name text not null,"
        " checksum text not null, applied_at timestamptz not null default now(),"
        " primary key (table_group, version))")


async def migrate_service(conn: asyncpg.Connection, service: ServiceMigrations) -> list[str]:
    """Apply what `service` registers and its schema lacks; return what ran, in order."""
    schema = service.schema
    if not NAME.fullmatch(schema):
        raise MigrationError(f"bad schema name {schema!r}")
    own = migration_files(service.folder)
    groups = {group: table_group_files(group) for group in service.table_groups}
    await conn.execute("select pg_advisory_lock(hashtext('migrations:' || $1))", schema)
    try:
        await _prepare(conn, schema)
        done = await _apply(conn, _History(schema),
                            [m for m in own if m.version <= service.table_groups_after])
        for group, migrations in groups.items():
            done += await _apply(conn, _History(schema, group), migrations)
        return done + await _apply(conn, _History(schema),
                                   [m for m in own if m.version > service.table_groups_after])
    finally:
        await conn.execute("select pg_advisory_unlock(hashtext('migrations:' || $1))", schema)


async def apply_migrations(conn: asyncpg.Connection, schema: str, folder: Traversable) -> list[str]:
    """Apply the not yet applied files of `folder` to `schema`; return their names."""
    return await migrate_service(conn, ServiceMigrations(schema, folder))


def registered_services(package: str = "services") -> list[ServiceMigrations]:
    """The `MIGRATIONS` of every `<package>.<service>.db` that has one, by service name."""
    found = []
    for service in pkgutil.iter_modules(importlib.import_module(package).__path__):
        name = f"{package}.{service.name}.db"
        try:
            db = importlib.import_module(name)
        except ModuleNotFoundError as error:
            if error.name != name:
                raise
            continue
        # Not isinstance: run as `python -m`, this module is `__main__`, a second copy.
        if hasattr(db, "MIGRATIONS"):
            found.append(db.MIGRATIONS)
    return found


async def migrate_all(dsn: str, services: list[ServiceMigrations] | None = None
                      ) -> dict[str, list[str]]:
    """Apply every registered service's migrations; return what was applied per schema."""
    conn = await asyncpg.connect(dsn)
    try:
        return {s.schema: await migrate_service(conn, s)
                for s in (registered_services() if services is None else services)}
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
