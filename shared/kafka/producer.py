"""The one way services put events on Kafka: idempotent, acks=all, keyed by subject."""

import asyncio
from collections.abc import Iterable

from aiokafka import AIOKafkaProducer

from shared.events import CloudEvent


class EventProducer:
    """Thin wrapper so every producer in the product has the same delivery settings."""

    def __init__(self, bootstrap_servers: str, *, client_id: str):
        self._producer = AIOKafkaProducer(
            bootstrap_servers=bootstrap_servers,
            client_id=client_id,
            enable_idempotence=True,
            acks="all",
            linger_ms=5,
            request_timeout_ms=15000,
        )

    async def start(self) -> None:
        await self._producer.start()

    async def stop(self) -> None:
        await self._producer.stop()

    async def send(self, topic: str, event: CloudEvent) -> None:
        """Send one event and wait until the broker has it."""
        await self._producer.send_and_wait(topic, event.to_bytes(), key=event.key)

    async def send_many(self, items: Iterable[tuple[str, CloudEvent]]) -> None:
        """Send a batch in order and wait until the broker has all of it."""
        await self.send_many_raw((topic, event.key, event.to_bytes()) for topic, event in items)

    async def send_many_raw(self, items: Iterable[tuple[str, bytes | None, bytes]]) -> None:
        """Send (topic, key, value) records in order and wait until the broker has all."""
        futures = [await self._producer.send(topic, value, key=key) for topic, key, value in items]
        await asyncio.gather(*futures)

    async def send_raw(
        self,
        topic: str,
        value: bytes | None,
        *,
        key: bytes | None = None,
        headers: list[tuple[str, bytes]] | None = None,
    ) -> None:
        """Send bytes as they are (dead letters keep the original message untouched)."""
        await self._producer.send_and_wait(topic, value, key=key, headers=headers)

    async def ready(self) -> bool:
        """True when the broker answers a metadata request."""
        try:
            await asyncio.wait_for(self._producer.client.fetch_all_metadata(), timeout=3)
            return True
        except Exception:  # noqa: BLE001 - any failure means "not ready"
            return False
