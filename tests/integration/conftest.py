"""Fixtures that need the real PostgreSQL and Kafka."""

import pytest

from shared.db.migrate import migrate_all
from shared.db.pool import create_pool
from shared.kafka.create_topics import create_topics
from shared.kafka.producer import EventProducer


@pytest.fixture(scope="session")
async def migrated(settings) -> None:
    """Every service's migrations applied once (the same runner as production)."""
    await migrate_all(settings.database_url)
    await create_topics(settings.kafka_bootstrap_servers)


@pytest.fixture(scope="session")
async def pool(settings, migrated):
    pool = await create_pool(settings.database_url, max_size=10)
    yield pool
    await pool.close()


@pytest.fixture(scope="session")
async def producer(settings):
    producer = EventProducer(settings.kafka_bootstrap_servers, client_id="tests")
    await producer.start()
    yield producer
    await producer.stop()


@pytest.fixture
async def make_topics(settings):
    """Create fresh topics (with their .dlq twins) for one test: `await make_topics("name")`."""

    async def _make(*names: str) -> None:
        wanted = [t for n in names for t in (n, f"{n}.dlq")]
        await create_topics(settings.kafka_bootstrap_servers, wanted, partitions=3)

    return _make
