"""A consumer that decodes envelopes, dead-letters what can never be handled, and carries on.

Handlers are plain async functions taking a list of events (a batch, in partition order).
Consecutive events bound to the same handler are passed together, so a handler registered for
several types (all expense events, say) gets large batches. Offsets are committed only after
the handlers and dead-lettering of a batch are done: at-least-once, so handlers dedupe by id.

No message stops a consumer: what fails to decode is dead-lettered; a handler failure is
retried while it is transient and dead-lettered otherwise (see shared.kafka.failures). A loop
that fails anyway (a bug) is logged, restarted with backoff, and handles the uncommitted
records again: none is skipped.
"""

import asyncio
import contextlib
import logging
import re
from collections.abc import Awaitable, Callable, Mapping
from itertools import groupby

from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from aiokafka.errors import CommitFailedError, IllegalStateError, RebalanceInProgressError
from aiokafka.structs import OffsetAndMetadata

from shared.events import Event, InvalidEvent, UnknownEventType, decode
from shared.events.guard import MAX_MESSAGE_BYTES
from shared.kafka.failures import Failure, classify
from shared.kafka.producer import EventProducer
from shared.metrics import (CONSUMER_LAG, CONSUMER_RESTARTS, CONSUMER_RETRIES,
                            EVENTS_DEAD_LETTERED, EVENTS_HANDLED, EVENTS_SKIPPED)
from shared.topics import dlq_topic

log = logging.getLogger(__name__)

Handler = Callable[[list[Event]], Awaitable[None]]

RETRY_FIRST_SECONDS, RETRY_MAX_SECONDS = 0.2, 10.0
RESTART_FIRST_SECONDS, RESTART_MAX_SECONDS = 1.0, 30.0
# An unknown type becomes a metric label only if it looks like a type name (bounded text).
_TYPE_LABEL = re.compile(r"[A-Za-z0-9_.:-]{1,100}")
# An oversized message is dead-lettered with its start only: the whole may not fit a request.
DLQ_TRUNCATED_BYTES = 64_000


class Backoff:
    """Doubling delays from `first` up to `most`; `reset` after a success."""

    def __init__(self, first: float, most: float):
        self.first, self.most, self.next = first, most, first

    async def sleep(self) -> None:
        await asyncio.sleep(self.next)
        self.next = min(self.next * 2, self.most)

    def reset(self) -> None:
        self.next = self.first


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
        self.restarts = 0
        # True from an unexpected failure until the batch (or loop) went through again.
        self.crashed = False
        self._restart_backoff = Backoff(RESTART_FIRST_SECONDS, RESTART_MAX_SECONDS)

    async def process(self, records: list[ConsumerRecord]) -> None:
        """Decode, dead-letter and dispatch one batch of records (in partition order)."""
        decoded: list[tuple[ConsumerRecord, Event]] = []
        for record in records:
            try:
                event = decode(record.value)
            except InvalidEvent as exc:
                await self._dead_letter(record, str(exc), "invalid")
                continue
            except UnknownEventType as exc:
                self._skip(record, exc.envelope.type, exc.envelope.id)
                continue
            if event.type not in self.handlers:
                self._skip(record, event.type, event.id)
                continue
            decoded.append((record, event))
        for handler, run in groupby(decoded, key=lambda pair: self.handlers[pair[1].type]):
            await self._dispatch(handler, list(run))

    async def process_supervised(self, records: list[ConsumerRecord]) -> None:
        """`process`, again after a backoff for as long as it fails unexpectedly: a batch is
        never skipped (handlers are idempotent, so the part already applied is harmless)."""
        while True:
            try:
                await self.process(records)
            except Exception:  # noqa: BLE001 - a bug of ours: log, back off, handle again
                await self.crashed_now()
                continue
            self.recovered()
            return

    async def crashed_now(self) -> None:
        """Log the exception being handled as a crash, count a restart, back off."""
        self.crashed = True
        self.restarts += 1
        CONSUMER_RESTARTS.labels(self.name).inc()
        log.exception("consumer failed, restarting in %.1fs", self._restart_backoff.next,
                      extra={"consumer": self.name})
        await self._restart_backoff.sleep()

    def recovered(self) -> None:
        self.crashed = False
        self._restart_backoff.reset()

    def observe_lag(self, topic: str, partition: int, highwater: int | None,
                    next_offset: int) -> None:
        """Set the lag gauge of one partition (nothing while its highwater is unknown)."""
        if highwater is not None:
            CONSUMER_LAG.labels(self.name, topic, str(partition)).set(
                max(highwater - next_offset, 0))

    def _skip(self, record: ConsumerRecord, type_: str, event_id: str) -> None:
        self.skipped += 1
        label = type_ if _TYPE_LABEL.fullmatch(type_) else "unnamable"
        EVENTS_SKIPPED.labels(self.name, record.topic, label).inc()
        log.info("skipped unknown event type", extra={"event_id": event_id, "type": label})

    async def _dispatch(self, handler: Handler, run: list[tuple[ConsumerRecord, Event]]) -> None:
        events = [event for _, event in run]
        try:
            await self._until_done(lambda: handler(events), events[0].id)
        except Exception as exc:  # noqa: BLE001 - find the culprit one by one below
            if len(run) == 1:
                await self._handler_failed(*run[0], exc)
                return
            log.warning("batch failed, retrying event by event", extra={"consumer": self.name},
                        exc_info=True)
            for record, event in run:
                try:
                    await self._until_done(lambda event=event: handler([event]), event.id)
                except Exception as exc:  # noqa: BLE001 - not transient: it cannot be applied
                    await self._handler_failed(record, event, exc)
                else:
                    self._count_handled(record, [event])
            return
        self._count_handled(run[0][0], events)

    async def _handler_failed(self, record: ConsumerRecord, event: Event,
                              exc: BaseException) -> None:
        """Dead-letter the event whose handler raised `exc` (not a transient failure)."""
        failure = classify(exc)
        if failure is Failure.BUG:
            log.error("handler failed on one event: dead-lettered", exc_info=exc,
                      extra={"consumer": self.name, "event_id": event.id})
        await self._dead_letter(record, f"handler failed: {exc!r}", failure.value, event.id)

    async def _until_done(self, attempt: Callable[[], Awaitable[None]], event_id: str) -> None:
        """Run `attempt` until it succeeds or fails for a reason that is not transient."""
        backoff = Backoff(RETRY_FIRST_SECONDS, RETRY_MAX_SECONDS)
        while True:
            try:
                return await attempt()
            except Exception as exc:
                if classify(exc) is not Failure.TRANSIENT:
                    raise
                CONSUMER_RETRIES.labels(self.name).inc()
                log.warning("transient failure, retrying in %.1fs: %r", backoff.next, exc,
                            extra={"consumer": self.name, "event_id": event_id})
                await backoff.sleep()

    def _count_handled(self, record: ConsumerRecord, events: list[Event]) -> None:
        for event in events:
            EVENTS_HANDLED.labels(self.name, record.topic, event.type).inc()

    async def _dead_letter(self, record: ConsumerRecord, error: str, cause: str,
                           event_id: str = "") -> None:
        headers = [
            # backslashreplace: an error may quote text with lone surrogates.
            ("error", error.encode("utf-8", "backslashreplace")[:4000]),
            ("cause", cause.encode()),
            ("original_topic", record.topic.encode()),
            ("original_partition", str(record.partition).encode()),
            ("original_offset", str(record.offset).encode()),
            ("consumer", self.name.encode()),
        ]
        key, value = record.key, record.value
        if len(key or b"") + len(value or b"") > MAX_MESSAGE_BYTES:
            headers.append(("original_size", str(len(value or b"")).encode()))
            key, value = key and key[:1000], value and value[:DLQ_TRUNCATED_BYTES]
        # Kafka failing now is transient like any other: retried, so the letter is not lost
        # (the offset is committed only after it).
        await self._until_done(lambda: self.producer.send_raw(
            dlq_topic(record.topic), value, key=key, headers=headers), event_id)
        self.dead_lettered += 1
        EVENTS_DEAD_LETTERED.labels(self.name, record.topic, cause).inc()
        log.warning("message dead-lettered: %s", error.encode("utf-8", "backslashreplace")
                    .decode()[:1000],
                    extra={"topic": record.topic, "partition": record.partition,
                           "offset": record.offset, "event_id": event_id, "cause": cause})


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
        max_poll_interval_ms: int = 300_000,
    ):
        super().__init__(name=name, handlers=handlers, producer=producer)
        self.topics = topics
        self.max_records = max_records
        self._settings = dict(
            bootstrap_servers=bootstrap_servers,
            group_id=group_id,
            client_id=name,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            max_poll_records=max_records,
            # A batch held up longer than this (the database away) costs our place in the
            # group; the loop rejoins on its next poll and gets the uncommitted records again.
            max_poll_interval_ms=max_poll_interval_ms,
        )
        self._consumer = AIOKafkaConsumer(*topics, **self._settings)
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
        """Started, its task alive, and not in a restart backoff."""
        return self._task is not None and not self._task.done() and not self.crashed

    async def ready(self) -> bool:
        """`running`, as a readiness check."""
        return self.running

    async def _run(self) -> None:
        """The supervisor: the consuming loop, restarted on a fresh Kafka consumer."""
        while True:
            try:
                await self._consume()
            except asyncio.CancelledError:
                if asyncio.current_task().cancelling():
                    raise  # stop() asked for it
                # aiokafka's group coordinator dies with a CancelledError of its own when its
                # member was thrown out of the group (a batch longer than max.poll.interval),
                # and raises it again from every later poll: a crash, not a reason to stop.
                await self.crashed_now()
            except Exception:  # noqa: BLE001 - logged with its traceback, then restarted
                await self.crashed_now()
            await self._renew()

    async def _renew(self) -> None:
        """Replace the Kafka consumer: the new one rejoins the group and starts from the
        committed offsets, so records fetched but not committed are handled again."""
        while True:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._consumer.stop(), timeout=10)
            self._consumer = AIOKafkaConsumer(*self.topics, **self._settings)
            try:
                await self._consumer.start()
            except Exception:  # noqa: BLE001 - Kafka away: keep trying, not ready meanwhile
                await self.crashed_now()
                continue
            # Running again; the backoff is reset only once a batch went through.
            self.crashed = False
            return

    async def _consume(self) -> None:
        while True:
            batches = await self._consumer.getmany(timeout_ms=500, max_records=self.max_records)
            if not batches:
                await self._observe_idle_lag()
                continue
            records = [r for tp in sorted(batches) for r in batches[tp]]
            await self.process(records)
            offsets = {tp: recs[-1].offset + 1 for tp, recs in batches.items()}
            await self._commit(offsets)
            self.recovered()
            # A rebalance during the batch may have taken partitions away: no lag of theirs.
            assigned = self._consumer.assignment()
            for tp, offset in offsets.items():
                if tp in assigned:
                    self.observe_lag(tp.topic, tp.partition, self._consumer.highwater(tp),
                                     offset)

    async def _commit(self, offsets: dict[TopicPartition, int]) -> None:
        try:
            await self._consumer.commit(
                {tp: OffsetAndMetadata(offset, "") for tp, offset in offsets.items()})
        except (CommitFailedError, RebalanceInProgressError, IllegalStateError) as exc:
            # Out of the group (the batch took longer than max_poll_interval) or rebalancing:
            # the next poll rejoins, and the partitions start again from the committed offsets.
            log.warning("offsets not committed, the batch will be handled again: %r", exc,
                        extra={"consumer": self.name})

    async def _observe_idle_lag(self) -> None:
        for tp in self._consumer.assignment():
            highwater = self._consumer.highwater(tp)
            if highwater is not None:
                self.observe_lag(tp.topic, tp.partition, highwater,
                                 await self._consumer.position(tp))


__all__ = ["EventConsumer", "EventDispatcher", "Handler", "TopicPartition"]
