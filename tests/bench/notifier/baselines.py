"""The raw rates the notifier is compared with, measured in the same run: a bare aiokafka
consumer over the expense topic, and plain aiosmtplib sends to the same SMTP sink."""

import asyncio
import random
import time
import uuid

import aiosmtplib
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from tests.integration.notifier import factories as f

EXPENSE_FLAGS = ("expense.receipt_attached", "expense.receipt_waived",
                 "expense.ready_for_export", "expense.exported", "expense.deleted")


def expense_records(client_ids: list[uuid.UUID], n: int, rng: random.Random) -> list[tuple]:
    """(key, value) of `n` expense events: creations, and flags of expenses created before."""
    records, created = [], []
    for i in range(n):
        if created and rng.random() < 0.4:
            client, expense = rng.choice(created)
            event = f.expense_flag(rng.choice(EXPENSE_FLAGS), client_id=client, expense_id=expense)
        else:
            client, expense = rng.choice(client_ids), f"x{i}"
            created.append((client, expense))
            event = f.expense_created(client_id=client, expense_id=expense,
                                      receipt_required=rng.random() < 0.7,
                                      has_receipt=rng.random() < 0.3)
        records.append((event.key, event.to_bytes()))
    return records


async def produce(bootstrap: str, topic: str, records: list[tuple]) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=20,
                                enable_idempotence=True, max_batch_size=512 * 1024)
    await producer.start()
    try:
        for start in range(0, len(records), 5000):
            futures = [await producer.send(topic, value, key=key)
                       for key, value in records[start:start + 5000]]
            await asyncio.gather(*futures)
    finally:
        await producer.stop()


async def bare_consumer_rate(bootstrap: str, topic: str, n: int) -> float:
    """Records per second of a plain aiokafka consumer reading `n` records from the start."""
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=bootstrap,
                                group_id=f"bench-bare-{uuid.uuid4().hex[:8]}",
                                auto_offset_reset="earliest", enable_auto_commit=False,
                                max_poll_records=2000)
    await consumer.start()
    seen, started = 0, None
    try:
        while seen < n:
            batches = await consumer.getmany(timeout_ms=500, max_records=2000)
            got = sum(len(b) for b in batches.values())
            if got and started is None:
                started = time.monotonic()
            seen += got
        return n / (time.monotonic() - started)
    finally:
        await consumer.stop()


async def raw_smtp_rate(port: int, message: bytes, n: int, connections: int) -> float:
    """Messages per second of plain aiosmtplib over `connections` reused connections."""

    async def one_connection(count: int) -> None:
        smtp = aiosmtplib.SMTP(hostname="127.0.0.1", port=port, local_hostname="bench.local")
        await smtp.connect()
        for _ in range(count):
            await smtp.sendmail("no-reply@partner-portal.local", ["raw@example.com"], message)
        await smtp.quit()

    started = time.monotonic()
    await asyncio.gather(*(one_connection(n // connections) for _ in range(connections)))
    return (n // connections * connections) / (time.monotonic() - started)
