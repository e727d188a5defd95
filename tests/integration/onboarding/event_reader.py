"""Reads a topic from its beginning in the background, so tests can wait for events."""

import asyncio
import contextlib
import json

from aiokafka import AIOKafkaConsumer


class TopicReader:
    """Every message of `topic` (no consumer group: all partitions, from the start)."""

    def __init__(self, bootstrap_servers: str, topic: str):
        self.topic = topic
        self.records = []
        self._consumer = AIOKafkaConsumer(topic, bootstrap_servers=bootstrap_servers,
                                          group_id=None, auto_offset_reset="earliest")
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

    async def _run(self) -> None:
        while True:
            for records in (await self._consumer.getmany(timeout_ms=200)).values():
                self.records.extend(records)

    def events_of_case(self, case_id) -> list[dict]:
        """The decoded events about `case_id`, in arrival order."""
        events = [json.loads(r.value) for r in self.records]
        return [e for e in events if e["data"].get("case_id") == str(case_id)]

    async def wait_for_case(self, case_id, count: int, timeout: float = 15.0) -> list[dict]:
        """Wait until `count` events about `case_id` arrived; return them."""
        deadline = asyncio.get_running_loop().time() + timeout
        while len(events := self.events_of_case(case_id)) < count:
            assert asyncio.get_running_loop().time() < deadline, (
                f"only {len(events)} of {count} events for case {case_id} arrived")
            await asyncio.sleep(0.05)
        return events
