"""A consumer that decodes envelopes, dead-letters what can never be handled, and carries on.

Handlers are plain async functions taking a list of events (a batch, in partition order).
Consecutive events bound to the same handler are passed together, so a handler registered for
several types (all expense events, say) gets large batches. Offsets are committed only after
the handlers and dead-lettering of a batch are done: at-least-once, so handlers dedupe by id.
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from itertools import groupby

import asyncpg
from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from aiokafka.structs import OffsetAndMetadata

from shared.events import Event, InvalidEvent, UnknownEventType, decode
from shared.kafka.producer import EventProducer
from shared.metrics import EVENTS_DEAD_LETTERED, EVENTS_HANDLED, EVENTS_SKIPPED
from shared.topics import dlq_topic

log = logging.getLogger(__name__)

Handler = Callable[[list[Event]], Awaitable[None]]

# Failures of the world, not of the message: retry the batch instead of dead-lettering it.
TRANSIENT_ERRORS = (OSError, asyncio.TimeoutError, asyncpg.PostgresConnectionError,
                    asyncpg.InterfaceError, asyncpg.DeadlockDetectedError,
                    asyncpg.SerializationError)


class EventDispatcher:
    """Decode records, dead-letter the invalid, skip unknown types, call `handlers[type]`.

    Any Kafka client can feed it: a record only needs topic, partition, offset, key and value
    (aiokafka's ConsumerRecord here, a faust Message in the notifier's agents).
    """

    def __init__(self, *, name: str, handlers: Mapping[str, Handler], producer: EventProducer):
        self.name = name
        self.handlers = dict(handlers)
        self.producer = producer
        self.skipped = 0
        self.dead_lettered = 0

    async def process(self, records: list[ConsumerRecord]) -> None:
        """Decode, dead-letter and dispatch one batch of records (in partition order)."""
        decoded: list[tuple[ConsumerRecord, Event]] = []
        for record in records:
            try:
                event = decode(record.value)
            except InvalidEvent as exc:
                await self._dead_letter(record, str(exc))
                continue
            except UnknownEventType as exc:
                self.skipped += 1
                EVENTS_SKIPPED.labels(self.name, record.topic, exc.envelope.type).inc()
                log.info("skipped unknown event type",
                         extra={"event_id": exc.envelope.id, "type": exc.envelope.type})
                continue
            if event.type not in self.handlers:
                self.skipped += 1
                EVENTS_SKIPPED.labels(self.name, record.topic, event.type).inc()
                continue
            decoded.append((record, event))
        for handler, run in groupby(decoded, key=lambda pair: self.handlers[pair[1].type]):
            await self._dispatch(handler, list(run))

    async def _dispatch(self, handler: Handler, run: list[tuple[ConsumerRecord, Event]]) -> None:
        events = [event for _, event in run]
        try:
            await self._with_retry(handler, events)
        except Exception:  # noqa: BLE001 - find the culprit one by one below
            log.warning("batch failed, retrying event by event", extra={"consumer": self.name},
                        exc_info=True)
            for record, event in run:
                try:
                    await self._with_retry(handler, [event])
                except Exception as exc:  # noqa: BLE001 - the message, not the world, is bad
                    await self._dead_letter(record, f"handler failed: {exc!r}", event.id)
                else:
                    self._count_handled(record, [event])
            return
        self._count_handled(run[0][0], events)

    async def _with_retry(self, handler: Handler, events: list[Event]) -> None:
        delay = 0.2
        while True:
            try:
                return await handler(events)
            except TRANSIENT_ERRORS as exc:
                log.warning("transient failure, retrying in %.1fs: %r", delay, exc,
                            extra={"consumer": self.name, "event_id": events[0].id})
                await asyncio.sleep(delay)
                delay = min(delay * 2, 10.0)

    def _count_handled(self, record: ConsumerRecord, events: list[Event]) -> None:
        for event in events:
            EVENTS_HANDLED.labels(self.name, record.topic, event.type).inc()

    async def _dead_letter(self, record: ConsumerRecord, error: str, event_id: str = "") -> None:
        headers = [
            ("error", error.encode()[:4000]),
            ("original_topic", record.topic.encode()),
            ("original_partition", str(record.partition).encode()),
            ("original_offset", str(record.offset).encode()),
            ("consumer", self.name.encode()),
        ]
        await self.producer.send_raw(dlq_topic(record.topic), record.value, key=record.key,
                                     headers=headers)
        self.dead_lettered += 1
        EVENTS_DEAD_LETTERED.labels(self.name, record.topic).inc()
        log.warning("message dead-lettered: %s", error,
                    extra={"topic": record.topic, "partition": record.partition,
                           "offset": record.offset, "event_id": event_id})


class EventConsumer(EventDispatcher):
    """Consume `topics` as consumer group `group_id`, calling `handlers[type]` per batch."""

    def __init__(
        self,
        *,
        name: str,
        bootstrap_servers: str,
        group_id: str,
        topics: list[str],
        handlers: Mapping[str, Handler],
        producer: EventProducer,
        max_records: int = 1000,
    ):
        super().__init__(name=name, handlers=handlers, producer=producer)
        self.topics = topics
        self.max_records = max_records
        self._consumer = AIOKafkaConsumer(
            *topics,
            bootstrap_servers=bootstrap_servers,
            group_id=group_id,
            client_id=name,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            max_poll_records=max_records,
        )
        self._task: asyncio.Task | None = None

    async def start(self) -> None:
        await self._consumer.start()
        self._task = asyncio.create_task(self._run(), name=f"consumer:{self.name}")

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        await self._consumer.stop()

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    async def _run(self) -> None:
        while True:
            batches = await self._consumer.getmany(timeout_ms=500, max_records=self.max_records)
            if not batches:
                continue
            records = [r for tp in sorted(batches) for r in batches[tp]]
            await self.process(records)
            await self._consumer.commit(
                {tp: OffsetAndMetadata(recs[-1].offset + 1, "") for tp, recs in batches.items()}
            )


__all__ = ["EventConsumer", "EventDispatcher", "Handler", "TopicPartition"]
