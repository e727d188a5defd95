"""The lifecycle every service with an outbox shares: pool, producer and outbox relay.

Opened in that order and closed in the reverse one, so the relay never outlives the producer
it publishes with nor the pool it reads from. What a service runs on top (consumers, jobs,
the sender) starts inside the block and stops before it ends.
"""

import contextlib
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass

import asyncpg

from shared.db.outbox import Outbox, OutboxRelay
from shared.db.pool import create_pool
from shared.db.retention import Prune
from shared.kafka.producer import EventProducer
from shared.settings import Settings


@dataclass(frozen=True, slots=True)
class OutboxService:
    """The running pool, producer and relay of one process."""

    pool: asyncpg.Pool
    producer: EventProducer
    relay: OutboxRelay


@contextlib.asynccontextmanager
async def running_outbox_service(settings: Settings, *, client_id: str, outbox: Outbox,
                                 prunes: Sequence[Prune],
                                 server_settings: dict[str, str] | None = None
                                 ) -> AsyncIterator[OutboxService]:
    """Open the pool, start the producer and the relay of `outbox`; stop them on the way out."""
    pool = await create_pool(settings.database_url, min_size=settings.database_pool_min,
                             max_size=settings.database_pool_max,
                             server_settings=server_settings)
    producer = EventProducer(settings.kafka_bootstrap_servers, client_id=client_id)
    relay = OutboxRelay(pool, producer, outbox,
                        poll_interval=settings.outbox_poll_interval_seconds,
                        prunes=prunes, prune_batch_size=settings.retention_batch_size)
    try:
        await producer.start()
        await relay.start()
        yield OutboxService(pool, producer, relay)
    finally:
        await relay.stop()
        await producer.stop()
        await pool.close()
