"""Reading a topic back from its beginning in integration tests."""

import time

from aiokafka import AIOKafkaConsumer, ConsumerRecord


async def read_topic(bootstrap_servers: str, topic: str, *, until,
                     timeout: float = 20) -> list[ConsumerRecord]:
    """Records of `topic` (all partitions) from the beginning, until `until(records)` holds
    or `timeout` s have passed; the caller asserts on what came."""
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=bootstrap_servers, group_id=None,
                                auto_offset_reset="earliest", enable_auto_commit=False)
    await consumer.start()
    records: list[ConsumerRecord] = []
    deadline = time.monotonic() + timeout
    try:
        while not until(records) and time.monotonic() < deadline:
            batches = await consumer.getmany(timeout_ms=200)
            records += [r for batch in batches.values() for r in batch]
    finally:
        await consumer.stop()
    return records


async def read_records(bootstrap_servers: str, topic: str, count: int,
                       timeout: float = 30.0) -> list[ConsumerRecord]:
    """At least the first `count` records of `topic`, failing after `timeout` s."""
    records = await read_topic(bootstrap_servers, topic, until=lambda r: len(r) >= count,
                               timeout=timeout)
    assert len(records) >= count, f"only {len(records)} of {count} records arrived on {topic}"
    return records
