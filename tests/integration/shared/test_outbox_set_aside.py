"""One unpublishable outbox row must not block the rows after it (issue 10, item 7)."""

import asyncio
import json
import uuid

from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from shared.db.outbox import OUTBOX_SET_ASIDE, Outbox, OutboxRelay
from shared.events import encode
from shared.events.schemas import ExpenseExported
from tests.integration.kafka_reading import read_records

# Larger than aiokafka's batch size (16 kB), so small rows batched together still fit.
TOPIC_MAX_BYTES = 20000


def exported(client_id: uuid.UUID, expense_id: str):
    return encode("expense.exported", ExpenseExported(expense_id=expense_id, client_id=client_id),
                  source="/tests", subject=str(client_id))


async def add_rows(pool, outbox: Outbox, rows: list[tuple[str, object, str]]) -> list[int]:
    """Write (topic, event, padding) rows in one transaction; return their ids in order."""
    ids = []
    async with pool.acquire() as conn, conn.transaction():
        for topic, event, padding in rows:
            body = event.model_dump(mode="json", exclude_none=True)
            body["padding"] = padding
            ids.append(await conn.fetchval(
                f"insert into {outbox.table} (topic, key, event) values ($1, $2, $3)"
                " returning id", topic, event.subject, body))
    return ids


async def settled(pool, outbox: Outbox, ids: list[int]) -> list:
    for _ in range(200):
        rows = await pool.fetch(
            f"select id, published_at, set_aside_at, attempts, last_error from {outbox.table}"
            " where id = any($1::bigint[]) order by id", ids)
        if all(r["published_at"] or r["set_aside_at"] for r in rows):
            return rows
        await asyncio.sleep(0.1)
    raise AssertionError(f"rows not settled: {rows}")


async def test_too_large_and_unknown_topic_rows_are_set_aside_and_the_rest_go_out_in_order(
        settings, pool, producer, unique):
    topic = f"test.outbox.aside.{unique}"
    admin = AIOKafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap_servers)
    await admin.start()
    try:
        await admin.create_topics([NewTopic(topic, 1, 1, topic_configs={
            "max.message.bytes": str(TOPIC_MAX_BYTES)})])
    finally:
        await admin.close()
    outbox = Outbox("onboarding")
    client_id = uuid.uuid4()
    events = [exported(client_id, f"e{n}") for n in range(6)]
    rows = [(topic, events[0], ""),
            (topic, events[1], "x" * 50_000),        # above the topic's max.message.bytes
            (topic, events[2], ""),
            (f"test.outbox.nowhere.{unique}", events[3], ""),  # no such topic
            (topic, events[4], "y" * 1_100_000),     # above the producer's max.request.size
            (topic, events[5], "")]
    before = OUTBOX_SET_ASIDE.labels(outbox.table)._value.get()
    ids = await add_rows(pool, outbox, rows)

    relay = OutboxRelay(pool, producer, outbox, poll_interval=0.1)
    await relay.start()
    try:
        got = await read_records(settings.kafka_bootstrap_servers, topic, 3)
        state = await settled(pool, outbox, ids)
    finally:
        await relay.stop()

    # the publishable rows of the same key went out, in their order, past the bad ones
    assert [json.loads(r.value)["id"] for r in got] == [events[n].id for n in (0, 2, 5)]
    aside = {r["id"]: r for r in state if r["set_aside_at"]}
    assert set(aside) == {ids[1], ids[3], ids[4]}
    assert all(r["published_at"] is None and r["attempts"] == 1 for r in aside.values())
    assert "MessageSizeTooLarge" in aside[ids[1]]["last_error"]
    assert "UnknownTopic" in aside[ids[3]]["last_error"]
    assert "MessageSizeTooLarge" in aside[ids[4]]["last_error"]
    assert OUTBOX_SET_ASIDE.labels(outbox.table)._value.get() - before >= 3

    # the producer is still good for that partition: a later row goes out too
    [later] = await add_rows(pool, outbox, [(topic, exported(client_id, "e6"), "")])
    await relay.start()
    try:
        got = await read_records(settings.kafka_bootstrap_servers, topic, 4)
        await settled(pool, outbox, [later])
    finally:
        await relay.stop()
    assert json.loads(got[-1].value)["data"]["expense_id"] == "e6"
