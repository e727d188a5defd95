"""Transactional outbox: events are written with the change they announce, then relayed.

Each service schema has the same table (the `outbox` table group, shared/db/table_groups):
    <schema>.outbox (id bigserial primary key, topic text, key text, event jsonb,
                     created_at timestamptz, published_at timestamptz,
                     attempts int, last_error text, set_aside_at timestamptz)
`add` is called inside the caller's transaction; the relay publishes committed rows in id
order with the idempotent producer and marks them. A crash between publish and mark sends a
row again on restart: consumers dedupe by event id, so nothing is lost and nothing doubles.

A row that can never be published (larger than its topic accepts, a topic that does not
exist, a record the broker refuses for itself) is set aside: marked with its error and
attempt count, logged and counted, never published, and the rows after it go on. A broker
that is away only delays the batch, which is retried as it is.

The relay also runs the schema's retention once an hour (shared.db.retention): published
outbox rows and processed-event ids by default, and whatever the service lists.
"""

import asyncio
import contextlib
import logging
import time
from collections.abc import Sequence
from datetime import UTC, datetime

import asyncpg
from aiokafka import errors as kafka_errors
from prometheus_client import Counter

from shared.db.retention import Prune, event_table_prunes, run_prunes
from shared.events import CloudEvent
from shared.kafka.producer import EventProducer
from shared.kafka.topic_limits import TopicLimits
from shared.metrics import OUTBOX_PUBLISHED

log = logging.getLogger(__name__)

OUTBOX_SET_ASIDE = Counter("outbox_set_aside_total",
                           "Outbox rows set aside as unpublishable", ["outbox"])

# Errors the broker or client gives a record for what it is, not for the state of the
# cluster: sending it again gives the same answer.
RECORD_FAULTS = (kafka_errors.MessageSizeTooLargeError, kafka_errors.RecordListTooLargeError,
                 kafka_errors.InvalidTopicError, kafka_errors.TopicAuthorizationFailedError,
                 kafka_errors.CorruptRecordException)


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

    PRUNE_EVERY_SECONDS = 3600.0
    # A record the broker refused for itself is tried this often before it is set aside:
    # a batch-mate of the culprit may share its error once, never on a retry of its own.
    MAX_RECORD_ATTEMPTS = 3

    def __init__(self, pool: asyncpg.Pool, producer: EventProducer, outbox: Outbox, *,
                 batch_size: int = 500, poll_interval: float = 1.0,
                 prunes: Sequence[Prune] | None = None, prune_batch_size: int = 1000,
                 topic_limits: TopicLimits | None = None):
        self.pool = pool
        self.producer = producer
        self.outbox = outbox
        self.batch_size = batch_size
        self.poll_interval = poll_interval
        self.prunes = list(prunes) if prunes is not None else event_table_prunes(outbox.schema)
        self.prune_batch_size = prune_batch_size
        self.topic_limits = topic_limits or TopicLimits(
            producer.bootstrap_servers, max_request_size=producer.MAX_REQUEST_SIZE)
        self._wake = asyncio.Event()
        self._task: asyncio.Task | None = None
        self._listener: asyncpg.Connection | None = None
        self._pruned_at = -self.PRUNE_EVERY_SECONDS

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

    async def prune(self, now: datetime) -> dict[str, int]:
        """Run the schema's retention (shared.db.retention); rows deleted per prune."""
        return await run_prunes(self.pool, self.prunes, now, batch_size=self.prune_batch_size)

    async def publish_pending(self) -> int:
        """Publish one batch of unpublished rows; return how many were settled (sent or set
        aside), so a full batch means there may be more."""
        table = self.outbox.table
        async with self.pool.acquire() as conn, conn.transaction():
            if not await conn.fetchval("select pg_try_advisory_xact_lock(hashtext($1))", table):
                return 0
            # The event as the JSON text it was validated into when written: no decoding
            # and re-encoding per row on its way out.
            rows = await conn.fetch(
                f"select id, topic, key, event::text as event, attempts from {table}"
                " where published_at is null and set_aside_at is null order by id limit $1",
                self.batch_size)
            if not rows:
                return 0
            refused = await self._refused_before_sending(rows)
            sendable = [r for r in rows if r["id"] not in refused]
            outcomes = await self.producer.send_each_raw(
                (r["topic"], _key(r), r["event"].encode()) for r in sendable)
            sent = [r["id"] for r, error in zip(sendable, outcomes) if error is None]
            failed = {r["id"]: (r, error) for r, error in zip(sendable, outcomes) if error}
            set_aside = {**refused, **self._given_up(failed)}
            await conn.execute(
                f"update {table} set published_at = now() where id = any($1::bigint[])", sent)
            await self._count_record_faults(conn, failed, set_aside)
            await self._set_aside(conn, set_aside, rows)
        OUTBOX_PUBLISHED.labels(table).inc(len(sent))
        if failed.keys() - set_aside.keys():
            error = next(e for i, (_, e) in failed.items() if i not in set_aside)
            log.warning("outbox rows not published, retrying: %r", error,
                        extra={"outbox": table, "rows": len(failed.keys() - set_aside.keys())})
        return len(sent) + len(set_aside) if not failed.keys() - set_aside.keys() else 0

    async def _refused_before_sending(self, rows: Sequence[asyncpg.Record]) -> dict[int, str]:
        """Rows their topic would refuse (too large, no such topic): id -> why."""
        limits = await self.topic_limits.max_record_bytes({r["topic"] for r in rows})
        refused: dict[int, str] = {}
        for r in rows:
            limit = limits[r["topic"]]
            size = len(r["event"].encode()) + len(_key(r) or b"")
            if limit is None:
                refused[r["id"]] = f"UnknownTopic: {r['topic']} does not exist"
            elif size > limit:
                refused[r["id"]] = (f"MessageSizeTooLarge: {size} bytes, the topic"
                                    f" {r['topic']} takes at most {limit}")
        return refused

    def _given_up(self, failed: dict[int, tuple[asyncpg.Record, BaseException]]
                  ) -> dict[int, str]:
        """Failed rows whose error is their own and that used up their attempts."""
        return {i: f"{type(e).__name__}: {e}" for i, (r, e) in failed.items()
                if isinstance(e, RECORD_FAULTS) and r["attempts"] + 1 >= self.MAX_RECORD_ATTEMPTS}

    async def _count_record_faults(self, conn: asyncpg.Connection,
                                   failed: dict[int, tuple[asyncpg.Record, BaseException]],
                                   set_aside: dict[int, str]) -> None:
        """Count an attempt on rows refused for themselves that still get another try."""
        again = {i: f"{type(e).__name__}: {e}"[:2000] for i, (_, e) in failed.items()
                 if isinstance(e, RECORD_FAULTS) and i not in set_aside}
        if again:
            await conn.execute(
                f"update {self.outbox.table} o set attempts = o.attempts + 1, last_error = u.error"
                " from unnest($1::bigint[], $2::text[]) as u(id, error) where o.id = u.id",
                list(again), list(again.values()))

    async def _set_aside(self, conn: asyncpg.Connection, set_aside: dict[int, str],
                         rows: Sequence[asyncpg.Record]) -> None:
        if not set_aside:
            return
        table = self.outbox.table
        await conn.execute(
            f"update {table} o set set_aside_at = now(), attempts = o.attempts + 1,"
            " last_error = u.error from unnest($1::bigint[], $2::text[]) as u(id, error)"
            " where o.id = u.id", list(set_aside), [e[:2000] for e in set_aside.values()])
        OUTBOX_SET_ASIDE.labels(table).inc(len(set_aside))
        topics = {r["id"]: r["topic"] for r in rows}
        for row_id, error in set_aside.items():
            log.error("outbox row set aside, never to be published: %s", error,
                      extra={"outbox": table, "row_id": row_id, "topic": topics[row_id]})


def _key(row: asyncpg.Record) -> bytes | None:
    return row["key"].encode() if row["key"] else None
