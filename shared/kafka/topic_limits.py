"""What a topic accepts: whether it exists and its largest message, asked of the broker.

The outbox relay checks each row against this before sending. A record the broker refuses
for its size must never reach the broker: aiokafka's idempotent producer has already counted
the refused batch's sequence numbers, so every later batch to that partition fails with
OutOfOrderSequenceNumber until the producer is replaced (seen against our Kafka 4 broker).
"""

import time

from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType

UNKNOWN_TOPIC = 3
# Record batch header (61 bytes) plus one record's own framing, with room to spare.
RECORD_OVERHEAD_BYTES = 200


class TopicLimits:
    """Largest accepted record per topic (None: no such topic), cached for `ttl` seconds."""

    def __init__(self, bootstrap_servers: str, *, max_request_size: int, ttl: float = 300.0):
        self.bootstrap_servers = bootstrap_servers
        self.max_request_size = max_request_size
        self.ttl = ttl
        self._known: dict[str, tuple[float, int | None]] = {}

    async def max_record_bytes(self, topics: set[str]) -> dict[str, int | None]:
        """Per topic, how many bytes of key and value a record may hold; None if unknown."""
        now = time.monotonic()
        stale = {t for t in topics if t not in self._known or self._known[t][0] < now}
        if stale:
            for topic, limit in (await self._ask(stale)).items():
                self._known[topic] = (now + self.ttl, limit)
        return {t: self._known[t][1] for t in topics}

    async def _ask(self, topics: set[str]) -> dict[str, int | None]:
        admin = AIOKafkaAdminClient(bootstrap_servers=self.bootstrap_servers,
                                    request_timeout_ms=10000)
        await admin.start()
        try:
            responses = await admin.describe_configs([
                ConfigResource(ConfigResourceType.TOPIC, t, configs={"max.message.bytes": None})
                for t in sorted(topics)])
        finally:
            await admin.close()
        limits: dict[str, int | None] = {}
        for response in responses:
            for resource in response.to_object()["resources"]:
                name = resource["resource_name"]
                if resource["error_code"] == UNKNOWN_TOPIC:
                    limits[name] = None
                    continue
                if resource["error_code"]:  # not ours to see: the producer will tell
                    limits[name] = self.max_request_size - RECORD_OVERHEAD_BYTES
                    continue
                entries = {e["config_names"]: e["config_value"]
                           for e in resource["config_entries"]}
                topic_max = int(entries.get("max.message.bytes") or self.max_request_size)
                limits[name] = min(topic_max, self.max_request_size) - RECORD_OVERHEAD_BYTES
        return limits
