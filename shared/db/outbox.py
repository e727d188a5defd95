"""Transactional outbox: events are written with the change they announce, then relayed.

Each service schema has the same table (see its migrations):
    <schema>.outbox (id bigserial primary key, topic text, key text, event jsonb,
                     created_at timestamptz, published_at timestamptz)
`add` is called inside the caller's transaction; the relay publishes committed rows in id
order with the idempotent producer and marks them. A crash between publish and mark sends a
row again on restart: consumers dedupe by event id, so nothing is lost and nothing doubles.

The relay also keeps the schema's event tables from growing without end: once an hour it
deletes published outbox rows older than a week and processed-event ids older than 30 days
(`<schema>.processed_events`, shared.db.idempotency). Kafka keeps messages for 7 days by
default, so no redelivery can be older than the ids still kept.
"""

import asyncio
import contextlib
import logging
import time
from datetime import UTC, datetime, timedelta

import asyncpg

from shared.events import CloudEvent
from shared.kafka.producer import EventProducer
from shared.metrics import OUTBOX_PUBLISHED

log = logging.getLogger(__name__)


class Outbox:
    """The outbox table of one schema."""

    def __init__(self, schema: str):
        self.schema = schema
        self.table = f"{schema}.outbox"
        self.channel = f"{schema}_outbox"

    async def add(self, conn: asyncpg.Connection, topic: str, event: CloudEvent) -> None:
        """Record `event` for `topic`; call inside the transaction of the change it announces."""
        await conn.execute(
            f"insert into {self.table} (topic, key, event) values ($1, $2, $3::text::jsonb)",
            topic, event.subject, event.model_dump_json(exclude_none=True),
        )
        # Wakes the relay at commit (NOTIFY is transactional) instead of at its next poll.
        await conn.execute("select pg_notify($1, '')", self.channel)


class OutboxRelay:
    """Publishes committed outbox rows; one relay per schema works at a time (advisory lock)."""

    PUBLISHED_KEPT = timedelta(days=7)
    PROCESSED_KEPT = timedelta(days=30)
    PRUNE_EVERY_SECONDS = 3600.0

    def __init__(self, pool: asyncpg.Pool, producer: EventProducer, outbox: Outbox, *,
                 batch_size: int = 500, poll_interval: float = 1.0):
        self.pool = pool
        self.producer = producer
        self.outbox = outbox
        self.batch_size = batch_size
        self.poll_interval = poll_interval
        self._wake = asyncio.Event()
        self._task: asyncio.Task | None = None
        self._listener: asyncpg.Connection | None = None
        self._pruned_at = 0.0

    async def start(self) -> None:
        self._listener = await self.pool.acquire()
        await self._listener.add_listener(self.outbox.channel, self._on_notify)
        self._task = asyncio.create_task(self._run(), name=f"outbox-relay:{self.outbox.schema}")

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        if self._listener:
            with contextlib.suppress(Exception):
                await self._listener.remove_listener(self.outbox.channel, self._on_notify)
            await self.pool.release(self._listener)

    def _on_notify(self, *_args) -> None:
        self._wake.set()

    async def _run(self) -> None:
        while True:
            try:
                while await self.publish_pending() == self.batch_size:
                    pass
                if time.monotonic() - self._pruned_at >= self.PRUNE_EVERY_SECONDS:
                    await self.prune(datetime.now(UTC))
                    self._pruned_at = time.monotonic()
            except Exception:  # noqa: BLE001 - keep relaying once Kafka/PostgreSQL is back
                log.exception("outbox relay failed, retrying", extra={"outbox": self.outbox.table})
            self._wake.clear()
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=self.poll_interval)

    async def prune(self, now: datetime) -> tuple[int, int]:
        """Delete old published rows and old processed-event ids; return how many of each."""
        schema = self.outbox.schema
        async with self.pool.acquire() as conn:
            published = await conn.execute(
                f"delete from {self.outbox.table} where published_at < $1",
                now - self.PUBLISHED_KEPT)
            processed = await conn.execute(
                f"delete from {schema}.processed_events where processed_at < $1",
                now - self.PROCESSED_KEPT)
        counts = int(published.split()[-1]), int(processed.split()[-1])
        if any(counts):
            log.info("event tables pruned", extra={"schema": schema, "outbox_rows": counts[0],
                                                   "processed_ids": counts[1]})
        return counts

    async def publish_pending(self) -> int:
        """Publish one batch of unpublished rows; return how many were published."""
        table = self.outbox.table
        async with self.pool.acquire() as conn, conn.transaction():
            if not await conn.fetchval("select pg_try_advisory_xact_lock(hashtext($1))", table):
                return 0
            # The event as the JSON text it was validated into when written: no decoding
            # and re-encoding per row on its way out.
            rows = await conn.fetch(
                f"select id, topic, key, event::text as event from {table}"
                " where published_at is null order by id limit $1", self.batch_size)
            if not rows:
                return 0
            await self.producer.send_many_raw(
                (r["topic"], r["key"].encode() if r["key"] else None, r["event"].encode())
                for r in rows)
            await conn.execute(
                f"update {table} set published_at = now() where id = any($1::bigint[])",
                [r["id"] for r in rows])
        OUTBOX_PUBLISHED.labels(table).inc(len(rows))
        return len(rows)
