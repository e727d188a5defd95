"""One unit of work: a connection, its transaction, the outbox it announces to, the event claim.

A service-layer function takes a unit of work and enters it (`async with uow:`) around what
must commit together. Entering it again while it is open joins the open transaction, so a
Kafka handler can open one for a whole batch and call, event by event, the same service-layer
functions the routes call: the batch commits once, or not at all.

Services subclass it to add their repositories (objects over `self.conn`, made in
`_bind`), and tests replace it with a fake that keeps rows in memory.
"""

from collections.abc import Callable, Sequence
from types import TracebackType
from typing import Self

import asyncpg

from shared.db.idempotency import claim_new_events
from shared.db.outbox import Outbox
from shared.events import CloudEvent, Event


class UnitOfWork:
    """A transaction on a pooled connection, with announcements and claims that commit in it."""

    def __init__(self, pool: asyncpg.Pool, schema: str, *, announce_topic: str | None = None):
        self.pool = pool
        self.schema = schema
        self.announce_topic = announce_topic
        self._outbox = Outbox(schema)
        self._conn: asyncpg.Connection | None = None
        self._transaction = None
        self._depth = 0
        self._after_commit: list[Callable[[], None]] = []

    @property
    def conn(self) -> asyncpg.Connection:
        if self._conn is None:
            raise RuntimeError("the unit of work is not open: use `async with uow:`")
        return self._conn

    async def __aenter__(self) -> Self:
        self._depth += 1
        if self._depth == 1:
            try:
                self._conn = await self.pool.acquire()
                self._transaction = self._conn.transaction()
                await self._transaction.start()
            except BaseException:
                await self._release()
                raise
            self._bind(self._conn)
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None,
                        exc: BaseException | None, tb: TracebackType | None) -> None:
        self._depth -= 1
        if self._depth > 0:
            return
        callbacks, self._after_commit = self._after_commit, []
        try:
            if exc_type is None:
                await self._transaction.commit()
            else:
                await self._transaction.rollback()
        finally:
            await self._release()
        if exc_type is None:
            for callback in callbacks:
                callback()

    async def _release(self) -> None:
        conn, self._conn, self._transaction, self._depth = self._conn, None, None, 0
        if conn is not None:
            await self.pool.release(conn)

    def _bind(self, conn: asyncpg.Connection) -> None:
        """Make the service's repositories over `conn` (a subclass's hook)."""

    async def announce(self, *events: CloudEvent) -> None:
        """Write `events` to the outbox for the service's announce topic, in this transaction."""
        if self.announce_topic is None:
            raise RuntimeError(f"{self.schema} announces nothing: no announce topic")
        for event in events:
            await self._outbox.add(self.conn, self.announce_topic, event)

    async def publish(self, topic: str, event: CloudEvent) -> None:
        """Write `event` to the outbox for `topic` (a topic other than the announce topic)."""
        await self._outbox.add(self.conn, topic, event)

    async def claim(self, consumer: str, events: Sequence[Event]) -> list[Event]:
        """The events `consumer` has not applied before, each once and in order, recorded as
        applied in this transaction (a replayed partition changes nothing)."""
        new = await claim_new_events(self.conn, self.schema, consumer, [e.id for e in events])
        # Keyed by id: an event delivered twice within one batch is applied once too.
        return list({e.id: e for e in events if e.id in new}.values())

    def after_commit(self, callback: Callable[[], None]) -> None:
        """Call `callback` once this unit of work has committed (never on rollback)."""
        self._after_commit.append(callback)
