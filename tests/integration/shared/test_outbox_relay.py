"""The outbox relay publishes rows left unpublished, e.g. by a crash after commit."""

import asyncio
import json
import uuid

from aiokafka import AIOKafkaConsumer

from shared.db.outbox import Outbox, OutboxRelay
from shared.events import encode
from shared.events.schemas import ExpenseExported


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
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=settings.kafka_bootstrap_servers,
                                group_id=f"g-{unique}", auto_offset_reset="earliest")
    await consumer.start()
    try:
        got = []
        while len(got) < 3:
            for records in (await consumer.getmany(timeout_ms=1000)).values():
                got.extend(records)
    finally:
        await consumer.stop()
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
