"""The consumer loop under failure: restarted after a crash without skipping a record, and
back in its group after a batch that took longer than max.poll.interval (issue 10)."""

import asyncio
import uuid

from aiokafka import TopicPartition

from shared.events import encode
from shared.events.schemas import ExpenseExported
from shared.kafka.consumer import EventConsumer
from tests.integration.waiting import wait_for


def _exported(client_id, expense_id):
    return encode("expense.exported", ExpenseExported(expense_id=expense_id, client_id=client_id),
                  source="/tests", subject=str(client_id))


class CrashOnce(EventConsumer):
    """A loop with a bug that strikes once, after the handlers ran and before the commit."""

    crashes_left = 1

    async def process(self, records):
        await super().process(records)
        if self.crashes_left:
            self.crashes_left -= 1
            raise RuntimeError("a bug in the loop")


async def test_a_crashed_loop_restarts_and_handles_the_uncommitted_records_again(
        settings, producer, make_topics, unique):
    topic = f"test.crash.{unique}"
    await make_topics(topic)
    handled: list[str] = []

    async def handle(events):
        handled.extend(e.data.expense_id for e in events)

    consumer = CrashOnce(name=f"crash-{unique}", bootstrap_servers=settings.kafka_bootstrap_servers,
                         group_id=f"g-{unique}", topics=[topic],
                         handlers={"expense.exported": handle}, producer=producer)
    client_id = uuid.uuid4()
    await producer.send_many((topic, _exported(client_id, e)) for e in ("a", "b", "c"))
    await consumer.start()
    try:
        await wait_for(lambda: consumer.crashed)
        assert not await consumer.ready()  # in its restart backoff: /readyz says 503
        await wait_for(lambda: handled.count("c") == 2 and not consumer.crashed)
        assert handled == ["a", "b", "c", "a", "b", "c"]  # handled again, nothing skipped
        assert consumer.restarts == 1 and await consumer.ready()
        await producer.send(topic, _exported(client_id, "d"))
        await wait_for(lambda: "d" in handled)
    finally:
        await consumer.stop()


async def test_a_batch_longer_than_max_poll_interval_costs_the_group_not_the_consumer(
        settings, producer, make_topics, unique):
    """As after PostgreSQL was away for more than five minutes, with the interval shortened."""
    topic = f"test.stall.{unique}"
    await make_topics(topic)
    handled: list[str] = []
    stalls = [6.0]

    async def handle(events):
        if stalls:
            await asyncio.sleep(stalls.pop())  # longer than max_poll_interval_ms below
        handled.extend(e.data.expense_id for e in events)

    consumer = EventConsumer(name=f"stall-{unique}",
                             bootstrap_servers=settings.kafka_bootstrap_servers,
                             group_id=f"g-{unique}", topics=[topic],
                             handlers={"expense.exported": handle}, producer=producer,
                             max_poll_interval_ms=2000)
    client_id = uuid.uuid4()
    first = _exported(client_id, "slow")
    await producer.send(topic, first)
    await consumer.start()
    try:
        await wait_for(lambda: consumer._consumer._coordinator.generation == 1)
        # The stall makes it leave the group; it rejoins (a new generation) and goes on.
        # Its batch is committed under the new generation, or comes again if the commit
        # fails: either way nothing is lost (handlers are idempotent).
        await wait_for(lambda: "slow" in handled, timeout=20)
        await producer.send(topic, _exported(client_id, "after"))
        await wait_for(lambda: "after" in handled, timeout=20)
        assert consumer.running and consumer.restarts == 0
        assert consumer._consumer._coordinator.generation > 1
        tp = TopicPartition(topic, (await _partition_of(consumer, topic)))
        await wait_for(lambda: _committed_is(consumer, tp, 2), timeout=20)
    finally:
        await consumer.stop()


async def _partition_of(consumer: EventConsumer, topic: str) -> int:
    for tp in consumer._consumer.assignment():
        if consumer._consumer.highwater(tp):
            return tp.partition
    raise AssertionError("no partition with records")


async def _committed_is(consumer: EventConsumer, tp: TopicPartition, offset: int) -> bool:
    return await consumer._consumer.committed(tp) == offset


async def test_a_member_thrown_out_mid_batch_goes_on_while_another_takes_its_records(
        settings, producer, make_topics, unique, caplog):
    """The stalled member's commit is refused (its partitions went to the other member while
    it waited): it logs, rejoins and goes on; the other applied the record (nothing lost).
    Without the supervisor's fresh consumer, the stalled member's task died here for good."""
    topic = f"test.takeover.{unique}"
    await make_topics(topic)
    handled: list[tuple[str, str]] = []
    stalled = asyncio.Event()

    def member(name: str) -> EventConsumer:
        async def handle(events):
            if name == "a" and not stalled.is_set():
                stalled.set()
                await asyncio.sleep(8.0)  # the database away, longer than max_poll_interval
            handled.extend((name, e.data.expense_id) for e in events)

        return EventConsumer(name=f"takeover-{name}-{unique}",
                             bootstrap_servers=settings.kafka_bootstrap_servers,
                             group_id=f"g-{unique}", topics=[topic],
                             handlers={"expense.exported": handle}, producer=producer,
                             max_poll_interval_ms=2000)

    a, b = member("a"), member("b")
    await a.start()
    try:
        await wait_for(lambda: a._consumer._coordinator.generation >= 1)
        client_id = uuid.uuid4()
        await producer.send(topic, _exported(client_id, "slow"))
        await wait_for(stalled.is_set, timeout=20)
        await b.start()
        # b gets the partitions a was thrown out of and applies the record a still holds.
        await wait_for(lambda: ("b", "slow") in handled, timeout=30)
        await wait_for(lambda: ("a", "slow") in handled, timeout=30)
        await wait_for(lambda: "offsets not committed" in caplog.text, timeout=10)
        await producer.send(topic, _exported(client_id, "after"))
        await wait_for(lambda: any(e == "after" for _, e in handled), timeout=30)
        # aiokafka's coordinator of the thrown-out member may die with it: then the member
        # is restarted on a fresh Kafka consumer (at most once), and is ready again.
        await wait_for(lambda: a.running and b.running, timeout=20)
        assert a.restarts <= 1 and b.restarts == 0
    finally:
        await b.stop()
        await a.stop()
