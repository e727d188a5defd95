"""What one notifier process holds besides faust: pool, producer, dispatchers, relay, sender.

A mode Service started before the faust app (the worker starts its services first) and
stopped after it, so agents, timers and web views always find it ready.
"""

import asyncio
import contextlib
import logging

from mode import Service

from services.notifier.consumers.partner import partner_handlers
from services.notifier.consumers.platform import expense_handlers, wallet_handlers
from services.notifier.consumers.ticks import tick_handlers
from services.notifier.db import SCHEMA, retention
from services.notifier.emails.compose import Composer
from services.notifier.scheduler import Scheduler
from services.notifier.sender.worker import Sender
from services.notifier.settings import NotifierSettings
from shared.db.outbox import Outbox, OutboxRelay
from shared.db.pool import database_ready
from shared.kafka.consumer import EventDispatcher
from shared.kafka.create_topics import create_topics
from shared.kafka.producer import EventProducer
from shared.outbox_service import running_outbox_service

log = logging.getLogger(__name__)


def leader_topic(app_id: str) -> str:
    """The topic faust's leader assignor elects a leader with (`on_leader` timers)."""
    return f"{app_id}-__assignor-__leader"


class NotifierRuntime(Service):
    def __init__(self, settings: NotifierSettings, **kwargs):
        super().__init__(**kwargs)
        self.settings = settings
        self.pool = None
        self.producer: EventProducer | None = None
        self.relay: OutboxRelay | None = None
        self.sender: Sender | None = None
        self.dispatchers: dict[str, EventDispatcher] = {}
        # Closes the pool, producer and relay that on_start opened.
        self._plumbing = contextlib.AsyncExitStack()
        self.scheduler = Scheduler(producer=lambda: self.producer,
                                   topic=settings.notifier_ticks_topic,
                                   app_id=settings.notifier_app_id)

    @property
    def topics(self) -> dict[str, str]:
        """Dispatcher name -> the topic it consumes."""
        s = self.settings
        return {"partner": s.notifier_partner_topic, "expenses": s.expenses_topic,
                "wallets": s.wallets_topic, "ticks": s.notifier_ticks_topic}

    async def on_start(self) -> None:
        s = self.settings
        # Our topics are created by the one-shot job; faust's leader topic is ours to make,
        # since faust may not declare topics against this broker (no auto-creation).
        await create_topics(s.kafka_bootstrap_servers, [leader_topic(s.notifier_app_id)],
                            partitions=1, replication_factor=s.kafka_replication_factor)
        service = await self._plumbing.enter_async_context(running_outbox_service(
            s, client_id=s.notifier_app_id, outbox=Outbox(SCHEMA), prunes=retention.prunes(s)))
        self.pool, self.producer, self.relay = service.pool, service.producer, service.relay
        handlers = {"partner": partner_handlers(self.pool, s),
                    "expenses": expense_handlers(self.pool), "wallets": wallet_handlers(self.pool),
                    "ticks": tick_handlers(self.pool, s)}
        self.dispatchers = {name: EventDispatcher(name=f"notifier.{name}", handlers=table,
                                                  producer=self.producer)
                            for name, table in handlers.items()}
        self.sender = Sender(self.pool, s, outbox=Outbox(SCHEMA), composer=Composer(s))
        await self.sender.start()
        log.info("notifier runtime started", extra={"app_id": s.notifier_app_id})

    async def on_stop(self) -> None:
        if self.sender is not None:
            await self.sender.stop()
        if self.relay is not None:
            # The sender's last outcomes were just committed: announce them before leaving.
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._drain_outbox(), timeout=5)
        await self._plumbing.aclose()

    async def _drain_outbox(self) -> None:
        while await self.relay.publish_pending() == self.relay.batch_size:
            pass

    async def readiness(self) -> dict[str, bool]:
        """PostgreSQL and Kafka, each really asked; no dispatcher in a restart backoff."""
        if self.pool is None or self.producer is None:
            return {"postgres": False, "kafka": False, "consumers": False}
        return {"postgres": await database_ready(self.pool), "kafka": await self.producer.ready(),
                "consumers": bool(self.dispatchers)
                and not any(d.crashed for d in self.dispatchers.values())}
