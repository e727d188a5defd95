"""The migration runner: applies each file once, refuses edited history, migrates every
registered service with its table groups, and brings databases migrated before the table
groups existed to the same catalog as fresh ones."""

import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable

import asyncpg
import pytest

from shared.db.migrate import (MigrationError, ServiceMigrations, apply_migrations, migrate_all,
                               migration_files, registered_services)
from tests.integration.shared.catalog import Catalog, catalog

GROUP_TABLES = {"outbox": {"outbox"}, "processed_events": {"processed_events"},
                "task_figures": {"expense_state", "task_figures"}}
# Clients' own triggers on the shared task_figures (its 0003 and 0004).
CLIENTS_OWN_TRIGGERS = {"figures_to_links", "figures_resolve_reminders"}
# The last own file of each service before the table groups, and an older point a user's
# database may still be at.
BEFORE_THE_GROUPS = {"clients": 8, "notifier": 8, "onboarding": 4}
OLDER = {"clients": 5, "notifier": 5, "onboarding": 3}

ScratchDatabase = Callable[[], Awaitable[str]]


def _write(folder, name, sql):
    (folder / name).write_text(sql)


async def test_migrations_applied_twice_change_nothing(settings, tmp_path, unique):
    schema = f"mig_{unique}"
    _write(tmp_path, "0001_things.sql", f"create table {schema}.things (id int primary key);")
    _write(tmp_path, "0002_more.sql", f"alter table {schema}.things add column name text;")
    conn = await asyncpg.connect(settings.database_url)
    try:
        assert await apply_migrations(conn, schema, tmp_path) == ["0001_things.sql", "0002_more.sql"]
        assert await apply_migrations(conn, schema, tmp_path) == []
        columns = await conn.fetch(
            "select column_name from information_schema.columns"
            " where table_schema = $1 and table_name = 'things' order by ordinal_position", schema)
        assert [c["column_name"] for c in columns] == ["id", "name"]
        assert await conn.fetchval(f"select count(*) from {schema}.schema_migrations") == 2

        _write(tmp_path, "0002_more.sql", "alter table nothing;")
        with pytest.raises(MigrationError, match="changed after it was applied"):
            await apply_migrations(conn, schema, tmp_path)
    finally:
        await conn.execute(f"drop schema if exists {schema} cascade")
        await conn.close()


async def test_failed_migration_leaves_nothing_half_applied(settings, tmp_path, unique):
    schema = f"mig_{unique}"
    _write(tmp_path, "0001_broken.sql",
           f"create table {schema}.a (id int); create table {schema}.a (id int);")
    conn = await asyncpg.connect(settings.database_url)
    try:
        with pytest.raises(asyncpg.DuplicateTableError):
            await apply_migrations(conn, schema, tmp_path)
        assert await conn.fetchval("select to_regclass($1)", f"{schema}.a") is None
        assert await conn.fetchval(f"select count(*) from {schema}.schema_migrations") == 0
    finally:
        await conn.execute(f"drop schema if exists {schema} cascade")
        await conn.close()


async def test_service_migrations_are_up_to_date_after_a_second_run(settings, migrated):
    assert await migrate_all(settings.database_url) == {
        "clients": [], "onboarding": [], "notifier": []}


def test_each_service_registers_its_schema_and_table_groups():
    assert {s.schema: s.table_groups for s in registered_services()} == {
        "clients": ("outbox", "processed_events", "task_figures"),
        "notifier": ("outbox", "processed_events", "task_figures"),
        "onboarding": ("outbox", "processed_events")}


@pytest.fixture(scope="module")
async def scratch_database(settings) -> AsyncIterator[ScratchDatabase]:
    """Makes throwaway databases on the shared server (dropped at the end), never touching
    the shared one's schemas: `dsn = await scratch_database()`."""
    admin = await asyncpg.connect(settings.database_url)
    made: list[str] = []

    async def make() -> str:
        name = f"pp_migrations_test_{uuid.uuid4().hex[:12]}"
        await admin.execute(f"create database {name}")
        made.append(name)
        dsn = settings.database_url.rsplit("/", 1)[0] + f"/{name}"
        conn = await asyncpg.connect(dsn)
        try:  # what deploy/postgres.sh gives every database
            await conn.execute("create extension pg_trgm schema public;"
                               " create extension unaccent schema public")
        finally:
            await conn.close()
        return dsn

    try:
        yield make
    finally:
        for name in made:
            await admin.execute(f"drop database if exists {name} with (force)")
        await admin.close()


async def test_a_registered_service_gets_its_table_groups_then_its_files(scratch_database,
                                                                         tmp_path):
    dsn = await scratch_database()
    # Its own first file already uses the groups' tables: they come first.
    _write(tmp_path, "0001_notes.sql", "create table newcomer.notes (id int primary key);"
                                       " create index outbox_by_topic on newcomer.outbox (topic);")
    service = ServiceMigrations("newcomer", tmp_path, ("outbox", "processed_events"))
    assert await migrate_all(dsn, [service]) == {"newcomer": [
        "outbox/0001_outbox.sql", "processed_events/0001_processed_events.sql",
        "0001_notes.sql"]}
    assert await migrate_all(dsn, [service]) == {"newcomer": []}

    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute("update newcomer.table_group_migrations set checksum = 'edited'"
                           " where table_group = 'outbox'")
        with pytest.raises(MigrationError, match="outbox/0001_outbox.sql changed after it"):
            await migrate_all(dsn, [service])
    finally:
        await conn.close()


async def test_the_command_migrates_every_registered_service(scratch_database):
    dsn = await scratch_database()
    command = [sys.executable, "-m", "shared.db.migrate"]
    env = {**os.environ, "DATABASE_URL": dsn, "LOG_LEVEL": "WARNING"}

    first = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    again = subprocess.run(command, env=env, capture_output=True, text=True, check=True)

    # The services' own files (their old ones built the groups' first versions).
    files = {s.schema: len(migration_files(s.folder)) for s in registered_services()}
    assert first.stdout == (f"migrations up to date ({sum(files.values())} applied: "
                            + ", ".join(f"{s}={n}" for s, n in files.items()) + ")\n")
    assert again.stdout == ("migrations up to date (0 applied:"
                            " clients=0, notifier=0, onboarding=0)\n")


async def _migrate_as_before_the_groups(dsn: str, tmp_path, until: dict[str, int]) -> None:
    """What the runner did before table groups: each service's own files up to `until`,
    with their history rows and checksums, and nothing else."""
    conn = await asyncpg.connect(dsn)
    try:
        for service in registered_services():
            folder = tmp_path / service.schema
            folder.mkdir()
            for entry in service.folder.iterdir():
                if entry.name.endswith(".sql") and int(entry.name[:4]) <= until[service.schema]:
                    shutil.copyfile(str(entry), folder / entry.name)
            await apply_migrations(conn, service.schema, folder)
            await conn.execute(f"drop table {service.schema}.table_group_migrations")
    finally:
        await conn.close()


async def _catalogs(dsn: str) -> dict[str, tuple[Catalog, list[tuple]]]:
    """Per service schema: its catalog and its history (both tables, without the times)."""
    conn = await asyncpg.connect(dsn)
    try:
        return {s.schema: (await catalog(conn, s.schema), [
            tuple(r) for r in await conn.fetch(
                f"select '', version, name, checksum from {s.schema}.schema_migrations union all"
                f" select table_group, version, name, checksum"
                f" from {s.schema}.table_group_migrations order by 1, 2")])
            for s in registered_services()}
    finally:
        await conn.close()


@pytest.fixture(scope="module")
async def fresh_catalogs(scratch_database) -> dict[str, tuple[Catalog, list[tuple]]]:
    dsn = await scratch_database()
    await migrate_all(dsn)
    return await _catalogs(dsn)


@pytest.mark.parametrize("until", [BEFORE_THE_GROUPS, OLDER], ids=["last", "older"])
async def test_a_database_migrated_before_the_groups_ends_as_a_fresh_one(
        scratch_database, fresh_catalogs, tmp_path, until):
    dsn = await scratch_database()
    await _migrate_as_before_the_groups(dsn, tmp_path, until)

    applied = await migrate_all(dsn)

    assert not any(name.startswith(tuple(GROUP_TABLES)) for names in applied.values()
                   for name in names), "the old files built the groups' first versions"
    assert "0009_expense_flags_not_null.sql" in applied["notifier"]
    assert await _catalogs(dsn) == fresh_catalogs


async def test_the_shared_tables_are_the_same_in_every_schema_as_the_groups_build_them(
        scratch_database, tmp_path):
    dsn = await scratch_database()
    await _migrate_as_before_the_groups(dsn, tmp_path, BEFORE_THE_GROUPS)
    (tmp_path / "none").mkdir()
    groups_only = ServiceMigrations("groups_only", tmp_path / "none", tuple(GROUP_TABLES))
    conn = await asyncpg.connect(dsn)
    try:
        drifted = await catalog(conn, "notifier")
        await migrate_all(dsn, [*registered_services(), groups_only])
        built_by_groups = await catalog(conn, "groups_only")
        for service in registered_services():
            tables = set().union(*(GROUP_TABLES[g] for g in service.table_groups))
            shared = (await catalog(conn, service.schema)).of_tables(tables)
            assert shared.without_triggers(CLIENTS_OWN_TRIGGERS) == \
                built_by_groups.of_tables(tables), service.schema
        # What notifier 0009 fixed: the comparison sees the drift.
        assert drifted.of_tables({"expense_state"}) != built_by_groups.of_tables({"expense_state"})
    finally:
        await conn.close()
