"""Topics of one test (the contract names behind a unique prefix) and reading them back."""

import asyncio
import time

import pytest
from aiokafka import AIOKafkaConsumer

from shared.topics import PLATFORM_COMPANIES, PLATFORM_EXPENSES, PLATFORM_WALLETS

PLATFORM_TOPICS = (PLATFORM_COMPANIES, PLATFORM_EXPENSES, PLATFORM_WALLETS)


@pytest.fixture
async def topic_prefix(make_topics, unique) -> str:
    """A prefix under which this test's three platform topics exist."""
    prefix = f"sim-{unique}."
    await make_topics(*(prefix + t for t in PLATFORM_TOPICS))
    return prefix


@pytest.fixture
def read_back(settings, unique):
    """`await read_back(prefix, expected)`: every record on the prefixed topics, in a list."""

    async def _read(prefix: str, expected: int, timeout: float = 20.0) -> list:
        consumer = AIOKafkaConsumer(
            *(prefix + t for t in PLATFORM_TOPICS),
            bootstrap_servers=settings.kafka_bootstrap_servers,
            group_id=f"sim-test-{unique}", auto_offset_reset="earliest",
            enable_auto_commit=False)
        await consumer.start()
        records, deadline = [], time.monotonic() + timeout
        try:
            while len(records) < expected and time.monotonic() < deadline:
                batches = await consumer.getmany(timeout_ms=500)
                records += [r for recs in batches.values() for r in recs]
            # A moment more: anything beyond `expected` would be a duplicate or a stray.
            await asyncio.sleep(0.5)
            batches = await consumer.getmany(timeout_ms=500)
            records += [r for recs in batches.values() for r in recs]
        finally:
            await consumer.stop()
        return records

    return _read
