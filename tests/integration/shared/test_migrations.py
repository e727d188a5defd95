"""The migration runner: applies each file once, refuses edited history."""

import asyncpg
import pytest

from shared.db.migrate import MigrationError, apply_migrations, migrate_all


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
