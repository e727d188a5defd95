"""Reading a topic back from its beginning in integration tests."""

import asyncio

from aiokafka import AIOKafkaConsumer, ConsumerRecord


async def read_records(bootstrap_servers: str, topic: str, count: int,
                       timeout: float = 30.0) -> list[ConsumerRecord]:
    """The first `count` records of `topic` (all partitions), failing after `timeout` s."""
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=bootstrap_servers, group_id=None,
                                auto_offset_reset="earliest")
    await consumer.start()
    try:
        deadline = asyncio.get_running_loop().time() + timeout
        records: list[ConsumerRecord] = []
        while len(records) < count:
            assert asyncio.get_running_loop().time() < deadline, (
                f"only {len(records)} of {count} records arrived on {topic}")
            for batch in (await consumer.getmany(timeout_ms=500)).values():
                records.extend(batch)
        return records
    finally:
        await consumer.stop()
