"""The scheduler produces each wall-clock minute's tick once, with an id fixed per minute."""

from datetime import UTC, datetime

from services.notifier.scheduler import Scheduler
from shared.events import decode


class RecordingProducer:
    """Stands in for Kafka in this pure unit test: keeps what would be sent."""

    def __init__(self):
        self.sent = []

    async def send(self, topic, event):
        self.sent.append((topic, event))


async def test_one_tick_per_minute_with_the_minute_as_scheduled_for():
    producer = RecordingProducer()
    now = [datetime(2026, 3, 30, 8, 0, 1, tzinfo=UTC)]
    scheduler = Scheduler(producer=lambda: producer, topic="ticks", app_id="notifier",
                          clock=lambda: now[0])
    for second in (1, 30, 59):
        now[0] = now[0].replace(second=second)
        await scheduler.run_once()
    now[0] = datetime(2026, 3, 30, 8, 1, 0, tzinfo=UTC)
    await scheduler.run_once()
    ticks = [decode(e.to_bytes()) for _, e in producer.sent]
    assert [t.data.scheduled_for for t in ticks] == [
        datetime(2026, 3, 30, 8, 0, tzinfo=UTC), datetime(2026, 3, 30, 8, 1, tzinfo=UTC)]
    assert {topic for topic, _ in producer.sent} == {"ticks"}


async def test_the_same_minute_gets_the_same_event_id_in_every_process():
    def produced_id(app_id):
        producer = RecordingProducer()
        return producer, Scheduler(producer=lambda: producer, topic="t", app_id=app_id,
                                   clock=lambda: datetime(2026, 3, 30, 8, 0, 42, tzinfo=UTC))

    (p1, s1), (p2, s2), (p3, s3) = produced_id("a"), produced_id("a"), produced_id("b")
    for s in (s1, s2, s3):
        await s.run_once()
    assert p1.sent[0][1].id == p2.sent[0][1].id != p3.sent[0][1].id
