"""Migration 0006 (notifier.clients per firm and client link) on a scratch database: the rows
written under the one-row-per-client schema are carried over, and a second firm's link of
the same client then gets a row of its own."""

import shutil
import uuid
from datetime import UTC, datetime

import asyncpg
import pytest

from services.notifier.db import MIGRATIONS
from shared.db.migrate import apply_migrations, migrate_service

pytestmark = pytest.mark.integration


@pytest.fixture
async def scratch_dsn(settings, unique):
    name = f"notifier_migration_{unique}"
    admin = await asyncpg.connect(settings.database_url)
    await admin.execute(f"create database {name}")
    try:
        yield settings.database_url.rsplit("/", 1)[0] + f"/{name}"
    finally:
        await admin.execute(f"drop database {name} with (force)")
        await admin.close()


async def test_existing_client_rows_are_carried_over_as_links(scratch_dsn, tmp_path):
    before = tmp_path / "migrations"
    before.mkdir()
    for entry in MIGRATIONS.folder.iterdir():
        if entry.name.endswith(".sql") and int(entry.name[:4]) <= 5:
            shutil.copyfile(str(entry), before / entry.name)
    client, firm_a, firm_b, bookkeeper = (uuid.uuid4() for _ in range(4))
    at = datetime(2026, 5, 1, tzinfo=UTC)
    conn = await asyncpg.connect(scratch_dsn)
    try:
        await apply_migrations(conn, "notifier", before)
        await conn.execute(
            "insert into notifier.clients (client_id, firm_id, name, link_state, assignee_ids,"
            " updated_at, assignees_updated_at) values ($1, $2, 'Kept B.V.', 'active', $3, $4, $4)",
            client, firm_a, [bookkeeper], at)

        applied = await migrate_service(conn, MIGRATIONS)
        assert "0006_client_links.sql" in applied
        await conn.execute(
            "insert into notifier.clients (client_id, firm_id, name, link_state, updated_at)"
            " values ($1, $2, 'Second Firm', 'onboarding', $3)", client, firm_b, at)
        rows = await conn.fetch("select firm_id, name, link_state, assignee_ids, updated_at,"
                                " assignees_updated_at from notifier.clients order by name")
        assert [tuple(r) for r in rows] == [
            (firm_a, "Kept B.V.", "active", [bookkeeper], at, at),
            (firm_b, "Second Firm", "onboarding", [], at, None)]
        with pytest.raises(asyncpg.UniqueViolationError):  # still one row per link
            await conn.execute("insert into notifier.clients (client_id, firm_id, name,"
                               " link_state, updated_at) values ($1, $2, 'x', 'active', $3)",
                               client, firm_a, at)
    finally:
        await conn.close()
