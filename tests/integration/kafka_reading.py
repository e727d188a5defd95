"""Reading a topic back from its beginning in integration tests."""

import asyncio
import contextlib
import json
from collections.abc import Callable

from aiokafka import AIOKafkaConsumer, ConsumerRecord


class TopicReader:
    """Every record of `topic` (no consumer group: all partitions, from the start), gathered
    in the background while it runs, so a test can wait for what it expects."""

    def __init__(self, bootstrap_servers: str, topic: str):
        self.topic = topic
        self.records: list[ConsumerRecord] = []
        self._consumer = AIOKafkaConsumer(topic, bootstrap_servers=bootstrap_servers,
                                          group_id=None, auto_offset_reset="earliest",
                                          enable_auto_commit=False)
        self._task: asyncio.Task | None = None

    async def start(self) -> None:
        await self._consumer.start()
        self._task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self._consumer.stop()

    async def __aenter__(self) -> "TopicReader":
        await self.start()
        return self

    async def __aexit__(self, *_) -> None:
        await self.stop()

    async def _run(self) -> None:
        while True:
            for records in (await self._consumer.getmany(timeout_ms=200)).values():
                self.records.extend(records)

    async def wait_until(self, done: Callable[[list[ConsumerRecord]], bool],
                         timeout: float) -> list[ConsumerRecord]:
        """The records so far, once `done(records)` holds or `timeout` s have passed."""
        deadline = asyncio.get_running_loop().time() + timeout
        while not done(self.records) and asyncio.get_running_loop().time() < deadline:
            await asyncio.sleep(0.05)
        return list(self.records)

    def events(self, where: Callable[[dict], bool]) -> list[dict]:
        """The decoded events for which `where(event)` holds, in arrival order."""
        return [e for e in (json.loads(r.value) for r in self.records) if where(e)]


async def read_topic(bootstrap_servers: str, topic: str, *, until,
                     timeout: float = 20) -> list[ConsumerRecord]:
    """Records of `topic` (all partitions) from the beginning, until `until(records)` holds
    or `timeout` s have passed; the caller asserts on what came."""
    async with TopicReader(bootstrap_servers, topic) as reader:
        return await reader.wait_until(until, timeout)


async def read_records(bootstrap_servers: str, topic: str, count: int,
                       timeout: float = 30.0) -> list[ConsumerRecord]:
    """At least the first `count` records of `topic`, failing after `timeout` s."""
    records = await read_topic(bootstrap_servers, topic, until=lambda r: len(r) >= count,
                               timeout=timeout)
    assert len(records) >= count, f"only {len(records)} of {count} records arrived on {topic}"
    return records
