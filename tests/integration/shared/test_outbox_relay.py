"""The outbox relay publishes rows left unpublished, e.g. by a crash after commit."""

import asyncio
import json
import uuid
from datetime import UTC, datetime, timedelta

from shared.db.outbox import Outbox, OutboxRelay
from shared.events import encode
from shared.events.schemas import ExpenseExported
from tests.integration.kafka_reading import read_records


async def test_rows_committed_before_a_crash_are_published_by_a_new_relay(
        settings, pool, producer, make_topics, unique):
    topic = f"test.outbox.{unique}"
    await make_topics(topic)
    outbox = Outbox("clients")
    client_id = uuid.uuid4()
    events = [encode("expense.exported", ExpenseExported(expense_id=f"e{n}", client_id=client_id),
                     source="/tests", subject=str(client_id)) for n in range(3)]
    async with pool.acquire() as conn, conn.transaction():  # no relay is running: "crashed"
        for event in events:
            await outbox.add(conn, topic, event)

    relay = OutboxRelay(pool, producer, outbox, poll_interval=0.2)
    await relay.start()
    got = await read_records(settings.kafka_bootstrap_servers, topic, 3)
    assert [json.loads(r.value)["id"] for r in got] == [e.id for e in events]
    try:
        for _ in range(100):  # the relay marks rows right after the broker acknowledged them
            unpublished = await pool.fetchval(
                "select count(*) from clients.outbox where published_at is null"
                " and event->>'id' = any($1::text[])", [e.id for e in events])
            if unpublished == 0:
                break
            await asyncio.sleep(0.05)
    finally:
        await relay.stop()
    assert unpublished == 0


async def test_prune_deletes_only_old_published_rows_and_old_processed_ids(
        pool, producer, make_topics, unique):
    # Real topic and a valid event: a relay running against this database may publish the
    # unpublished row, and must not get stuck on it.
    topic = f"test.prune.{unique}"
    await make_topics(topic)
    relay = OutboxRelay(pool, producer, Outbox("onboarding"))
    now = datetime.now(UTC)
    old, recent = now - timedelta(days=40), now - timedelta(days=1)
    client_id = uuid.uuid4()
    event = encode("expense.exported", ExpenseExported(expense_id="e", client_id=client_id),
                   source="/tests", subject=str(client_id))
    rows = {"old published": (old, old), "recent published": (recent, recent),
            "old unpublished": (old, None)}
    for name, (created, published) in rows.items():
        await pool.execute(
            "insert into onboarding.outbox (topic, key, event, created_at, published_at)"
            " values ($1, $2, $3, $4, $5)", topic, name,
            event.model_dump(mode="json", exclude_none=True), created, published)
    for name, at in (("old", old), ("recent", recent)):
        await pool.execute("insert into onboarding.processed_events values ($1, $2, $3)",
                           topic, name, at)

    await relay.prune(now)

    kept = await pool.fetch("select key from onboarding.outbox where topic = $1", topic)
    assert {r["key"] for r in kept} == {"recent published", "old unpublished"}
    ids = await pool.fetch("select event_id from onboarding.processed_events where consumer = $1",
                           topic)
    assert {r["event_id"] for r in ids} == {"recent"}
