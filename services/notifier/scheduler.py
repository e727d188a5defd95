"""The scheduler: one `schedule.tick` per wall-clock minute, produced by the leader only.

Everything else acts on the tick's `scheduled_for`, never on the clock, so a tick made by
hand drives the notifier exactly as the scheduler would.
"""

import logging
import uuid
from collections.abc import Callable
from datetime import UTC, datetime

from services.notifier.domain.schedule import tick_minute
from services.notifier.metrics import TICKS_PRODUCED
from shared.events import encode
from shared.events.schemas import ScheduleTick
from shared.kafka.producer import EventProducer

log = logging.getLogger(__name__)

_TICK_IDS = uuid.UUID("0b7e4c1a-2f3d-4e5a-9b6c-7d8e9f0a1b2c")


class Scheduler:
    """Called every second or so on the leader; produces each minute's tick once."""

    def __init__(self, *, producer: Callable[[], EventProducer], topic: str, app_id: str,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)):
        self.producer = producer
        self.topic = topic
        self.app_id = app_id
        self.clock = clock
        self.last: datetime | None = None

    async def run_once(self, *_app) -> None:
        """Produce the current minute's tick unless this process already did."""
        minute = tick_minute(self.clock())
        if self.last is not None and minute <= self.last:
            return
        # One id per (deployment, minute): a tick produced twice, say by an old and a new
        # leader during a rebalance, is one event to the consumer.
        event = encode("schedule.tick", ScheduleTick(scheduled_for=minute),
                       source="/notifier/scheduler", subject="schedule",
                       event_id=str(uuid.uuid5(_TICK_IDS, f"{self.app_id}:{minute.isoformat()}")))
        try:
            await self.producer().send(self.topic, event)
        except Exception:  # noqa: BLE001 - the next call tries again; a timer must not die
            log.exception("producing schedule.tick failed", extra={"event_id": event.id})
            return
        self.last = minute
        TICKS_PRODUCED.inc()
        log.info("schedule.tick produced", extra={"event_id": event.id,
                                                 "scheduled_for": minute.isoformat()})
