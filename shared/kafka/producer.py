"""The one way services put events on Kafka: idempotent, acks=all, keyed by subject."""

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Iterable

from aiokafka import AIOKafkaProducer
from aiokafka.errors import InvalidProducerIdMapping, OutOfOrderSequenceNumber, UnknownProducerId

from shared.events import CloudEvent

log = logging.getLogger(__name__)

# Once the broker refused a batch (too large for the topic, say), aiokafka's idempotent
# producer keeps a sequence number the broker will never accept again and fails every later
# send to that partition with one of these, until the process restarts (measured). A new
# producer, with a new producer id, starts clean.
STUCK_ERRORS = (OutOfOrderSequenceNumber, UnknownProducerId, InvalidProducerIdMapping)


class NotSent(Exception):
    """Not tried: an earlier record of the same batch could not be sent."""


class EventProducer:
    """Thin wrapper so every producer in the product has the same delivery settings."""

    MAX_REQUEST_SIZE = 1048576  # aiokafka's default; refused before sending when exceeded

    def __init__(self, bootstrap_servers: str, *, client_id: str):
        self.bootstrap_servers = bootstrap_servers
        self._client_id = client_id
        self._producer = self._new_producer()
        self._renewing = asyncio.Lock()

    def _new_producer(self) -> AIOKafkaProducer:
        return AIOKafkaProducer(
            bootstrap_servers=self.bootstrap_servers,
            client_id=self._client_id,
            enable_idempotence=True,
            acks="all",
            linger_ms=5,
            request_timeout_ms=15000,
            max_request_size=self.MAX_REQUEST_SIZE,
        )

    async def start(self) -> None:
        await self._producer.start()

    async def stop(self) -> None:
        await self._producer.stop()

    async def _renew(self, stuck: AIOKafkaProducer) -> None:
        """Replace `stuck` by a new producer (once, however many callers saw it fail)."""
        async with self._renewing:
            if self._producer is not stuck:
                return
            log.warning("kafka producer stuck after a refused batch: starting a new one",
                        extra={"client_id": self._client_id})
            with contextlib.suppress(Exception):
                await asyncio.wait_for(stuck.stop(), timeout=10)
            fresh = self._new_producer()
            await fresh.start()
            self._producer = fresh

    async def _on_a_working_producer(self, call: Callable[[AIOKafkaProducer], Awaitable]):
        """`call(producer)`, once more on a new producer if this one was stuck."""
        producer = self._producer
        try:
            return await call(producer)
        except STUCK_ERRORS:
            await self._renew(producer)
            return await call(self._producer)

    async def send(self, topic: str, event: CloudEvent) -> None:
        """Send one event and wait until the broker has it."""
        await self._on_a_working_producer(
            lambda p: p.send_and_wait(topic, event.to_bytes(), key=event.key))

    async def send_many(self, items: Iterable[tuple[str, CloudEvent]]) -> None:
        """Send a batch in order and wait until the broker has all of it."""
        await self.send_many_raw((topic, event.key, event.to_bytes()) for topic, event in items)

    async def send_many_raw(self, items: Iterable[tuple[str, bytes | None, bytes]]) -> None:
        """Send (topic, key, value) records in order and wait until the broker has all."""
        records = list(items)

        async def send_all(producer: AIOKafkaProducer) -> None:
            futures = [await producer.send(topic, value, key=key) for topic, key, value in records]
            await asyncio.gather(*futures)

        await self._on_a_working_producer(send_all)

    async def send_each_raw(
        self, items: Iterable[tuple[str, bytes | None, bytes]]
    ) -> list[BaseException | None]:
        """Send records in order; per record None once the broker has it, else its error.

        A record refused before sending (no metadata, too large) ends the batch: the records
        after it come back as `NotSent`, so a broker that is away costs one timeout, not one
        per record.
        """
        producer = self._producer
        pending: list[asyncio.Future | BaseException] = []
        for topic, key, value in items:
            if pending and isinstance(pending[-1], BaseException):
                pending.append(NotSent(topic))
                continue
            try:
                pending.append(await producer.send(topic, value, key=key))
            except Exception as exc:  # noqa: BLE001 - the caller decides whose fault it is
                pending.append(exc)
        futures = [p for p in pending if not isinstance(p, BaseException)]
        sent = iter(await asyncio.gather(*futures, return_exceptions=True))
        outcomes: list[BaseException | None] = []
        for p in pending:
            outcome = p if isinstance(p, BaseException) else next(sent)
            outcomes.append(outcome if isinstance(outcome, BaseException) else None)
        if any(isinstance(o, STUCK_ERRORS) for o in outcomes):
            await self._renew(producer)  # the caller tries its failed records again
        return outcomes

    async def send_raw(
        self,
        topic: str,
        value: bytes | None,
        *,
        key: bytes | None = None,
        headers: list[tuple[str, bytes]] | None = None,
    ) -> None:
        """Send bytes as they are (dead letters keep the original message untouched)."""
        await self._on_a_working_producer(
            lambda p: p.send_and_wait(topic, value, key=key, headers=headers))

    async def ready(self) -> bool:
        """True when the broker answers a metadata request."""
        try:
            await asyncio.wait_for(self._producer.client.fetch_all_metadata(), timeout=3)
            return True
        except Exception:  # noqa: BLE001 - any failure means "not ready"
            return False
