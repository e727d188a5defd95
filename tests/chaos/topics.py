"""Reading the chaos broker: what a topic gained since the last look (ids, dead letters)."""

import asyncio
import json

from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition


class TopicReader:
    """Remembers per partition how far it read; each `read_new` returns only what came since."""

    def __init__(self, bootstrap_servers: str):
        self.bootstrap_servers = bootstrap_servers
        self.offsets: dict[TopicPartition, int] = {}

    async def read_new(self, topics: list[str] | None = None, *,
                       suffix: str | None = None) -> list[ConsumerRecord]:
        """New records of `topics`, or of every topic whose name ends with `suffix`."""
        consumer = AIOKafkaConsumer(bootstrap_servers=self.bootstrap_servers, group_id=None,
                                    enable_auto_commit=False, auto_offset_reset="earliest")
        await consumer.start()
        try:
            # The consumer's public topics() returns a metadata snapshot without storing it,
            # and partitions_for_topic reads only the stored one: ask the snapshot directly.
            cluster = await consumer._client.fetch_all_metadata()
            names = topics or sorted(t for t in cluster.topics() if t.endswith(suffix))
            parts = [TopicPartition(t, p) for t in names
                     for p in sorted(cluster.partitions_for_topic(t) or ())]
            if not parts:
                return []
            consumer.assign(parts)
            ends = await consumer.end_offsets(parts)
            for tp in parts:
                consumer.seek(tp, self.offsets.get(tp, 0))
            records: list[ConsumerRecord] = []
            while [tp for tp in parts if await consumer.position(tp) < ends[tp]]:
                batches = await consumer.getmany(timeout_ms=500)
                records += [r for batch in batches.values() for r in batch]
            for tp in parts:
                self.offsets[tp] = ends[tp]
            return records
        finally:
            # Let the consumer's background task begin: cancelled before its first step it
            # would raise CancelledError out of stop().
            await asyncio.sleep(0)
            await consumer.stop()


def event_id(record: ConsumerRecord) -> str | None:
    """The CloudEvents id of a record, None when it is not JSON with an id."""
    try:
        return json.loads(record.value)["id"]
    except (ValueError, TypeError, KeyError):
        return None


def headers_text(record: ConsumerRecord) -> str:
    return ", ".join(f"{k}={v.decode(errors='replace')[:160]}" for k, v in record.headers or ())
