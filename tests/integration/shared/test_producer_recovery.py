"""The shared producer recovers from a batch the broker refused (issue 10: nothing may stop
the event flow): aiokafka's idempotent producer otherwise fails every later send to that
partition with OutOfOrderSequenceNumber until the process restarts."""

import pytest
from aiokafka import AIOKafkaConsumer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import KafkaError

from shared.kafka.producer import EventProducer


async def test_sends_go_on_after_the_broker_refused_a_record(settings, unique):
    topic = f"test.producer.refused.{unique}"
    admin = AIOKafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap_servers)
    await admin.start()
    try:
        await admin.create_topics([NewTopic(topic, 1, 1, topic_configs={
            "max.message.bytes": "20000"})])
    finally:
        await admin.close()
    producer = EventProducer(settings.kafka_bootstrap_servers, client_id=f"test-{unique}")
    await producer.start()
    try:
        await producer.send_raw(topic, b"first", key=b"k")
        with pytest.raises(KafkaError):  # refused by the broker (aiokafka reports it as it will)
            await producer.send_raw(topic, b"x" * 50_000, key=b"k")
        await producer.send_raw(topic, b"after", key=b"k")
        await producer.send_many_raw([(topic, b"k", b"and"), (topic, b"k", b"more")])
    finally:
        await producer.stop()
    reader = AIOKafkaConsumer(topic, bootstrap_servers=settings.kafka_bootstrap_servers,
                              auto_offset_reset="earliest")
    await reader.start()
    try:
        values = []
        for _ in range(50):
            batch = await reader.getmany(timeout_ms=200)
            values += [r.value for rs in batch.values() for r in rs]
            if len(values) >= 4:
                break
    finally:
        await reader.stop()
    assert values == [b"first", b"after", b"and", b"more"]
