"""Create the product's topics and their dead-letter twins; existing ones are left alone.

Run: python -m shared.kafka.create_topics
"""

import asyncio
import logging

from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from shared.log import configure_logging
from shared.settings import Settings
from shared.topics import ALL_TOPICS, DEFAULT_PARTITIONS, dlq_topic

log = logging.getLogger(__name__)


async def create_topics(
    bootstrap_servers: str,
    names: list[str] | None = None,
    *,
    partitions: int = DEFAULT_PARTITIONS,
    replication_factor: int = 1,
) -> list[str]:
    """Create the missing topics among `names` (default: all, with DLQs); return the created."""
    wanted = names or [t for topic in ALL_TOPICS for t in (topic, dlq_topic(topic))]
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [t for t in wanted if t not in existing]
        if missing:
            await admin.create_topics(
                [NewTopic(t, num_partitions=partitions, replication_factor=replication_factor)
                 for t in missing]
            )
        return missing
    finally:
        await admin.close()


async def main() -> None:
    settings = Settings()
    configure_logging("create-topics", settings.log_level)
    created = await create_topics(
        settings.kafka_bootstrap_servers, replication_factor=settings.kafka_replication_factor
    )
    log.info("topics ready", extra={"topics_created": created})
    print(f"topics ready ({len(created)} created)")


if __name__ == "__main__":
    asyncio.run(main())
