"""The platform simulator's CLI, with a producer that retries a batch until Kafka has it.

Run: python -m tests.chaos.load <simulator options>   (the same options as the simulator)

The simulator's ledgers move as events are drawn, so `--figures-out` is the truth only if
every drawn event reaches Kafka. A real platform retries its sends; so does this one: a
batch that failed (broker restarting) is sent again on a new producer (aiokafka's idempotent
producer stays broken with OutOfOrderSequenceNumber after a failed batch). A batch that half
landed arrives twice, with the same event ids: the consumers must apply it once.
"""

import asyncio
import logging
import sys

from services.platform_simulator import cli
from shared.kafka.producer import EventProducer

log = logging.getLogger("chaos.load")

RETRY_SECONDS = 1.0


class RetryingProducer(EventProducer):
    """Sends each batch until the broker acknowledged all of it."""

    def __init__(self, bootstrap_servers: str, *, client_id: str):
        super().__init__(bootstrap_servers, client_id=client_id)
        self._args = (bootstrap_servers, client_id)

    async def send_many(self, items) -> None:
        items = list(items)
        while True:
            try:
                await super().send_many(items)
                return
            except Exception as exc:  # noqa: BLE001 - any failure: the batch is sent again
                log.warning("batch not acknowledged, sending it again",
                            extra={"events": len(items), "error": repr(exc)})
                await self._renew()
                await asyncio.sleep(RETRY_SECONDS)

    async def _renew(self) -> None:
        try:
            await self._producer.stop()
        except Exception:  # noqa: BLE001 - the old producer is dropped either way
            log.debug("stopping the old producer failed", exc_info=True)
        fresh = EventProducer(self._args[0], client_id=self._args[1])
        while True:
            try:
                await fresh.start()
                break
            except Exception as exc:  # noqa: BLE001 - the broker is still away
                log.warning("producer cannot start yet", extra={"error": repr(exc)})
                await fresh.stop()
                await asyncio.sleep(RETRY_SECONDS)
        self._producer = fresh._producer


if __name__ == "__main__":
    cli.EventProducer = RetryingProducer
    sys.exit(cli.main())
