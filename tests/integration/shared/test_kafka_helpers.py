"""The producer and consumer helpers against the real broker."""

import json
import uuid

from shared.events import encode, new_event
from shared.events.schemas import ExpenseDeleted, ExpenseExported, WalletBalanceChanged
from shared.kafka.consumer import EventConsumer
from tests.integration.kafka_reading import read_records
from tests.integration.waiting import wait_for


def _wallet_event(client_id, sequence):
    data = WalletBalanceChanged(client_id=client_id, balance_minor=100 * sequence, currency="EUR")
    return encode("wallet.balance_changed", data, source="/tests", subject=str(client_id),
                  sequence=sequence)


async def test_produce_and_consume_back_keyed_by_subject(settings, producer, make_topics, unique):
    topic = f"test.roundtrip.{unique}"
    await make_topics(topic)
    client_id = uuid.uuid4()
    sent = [_wallet_event(client_id, n) for n in range(1, 4)]
    await producer.send_many((topic, e) for e in sent)

    got = await read_records(settings.kafka_bootstrap_servers, topic, 3)
    assert [json.loads(r.value)["id"] for r in got] == [e.id for e in sent]
    assert {r.key for r in got} == {str(client_id).encode()}
    assert len({r.partition for r in got}) == 1


async def test_malformed_message_goes_to_dlq_and_next_is_handled(
        settings, producer, make_topics, unique):
    topic = f"test.dlq.{unique}"
    await make_topics(topic)
    handled = []

    async def handle(events):
        handled.extend(events)

    consumer = EventConsumer(name=f"test-{unique}", bootstrap_servers=settings.kafka_bootstrap_servers,
                             group_id=f"g-{unique}", topics=[topic],
                             handlers={"expense.deleted": handle}, producer=producer)
    client_id = uuid.uuid4()
    good = encode("expense.deleted", ExpenseDeleted(expense_id="e1", client_id=client_id),
                  source="/tests", subject=str(client_id))
    wrong_shape = new_event("expense.deleted", source="/tests", subject=str(client_id),
                            data={"expense_id": "e2"})  # client_id missing
    unknown = new_event("expense.teleported", source="/tests", subject=str(client_id), data={})
    await producer.send_raw(topic, b"{this is not json", key=str(client_id).encode())
    await producer.send(topic, wrong_shape)
    await producer.send(topic, unknown)
    await producer.send(topic, good)

    await consumer.start()
    try:
        await wait_for(lambda: handled)
    finally:
        await consumer.stop()
    assert [e.id for e in handled] == [good.id]
    assert consumer.skipped == 1
    assert consumer.dead_lettered == 2

    letters = await read_records(settings.kafka_bootstrap_servers, f"{topic}.dlq", 2)
    errors = sorted(dict(r.headers)["error"].decode() for r in letters)
    assert errors[0].startswith("data.client_id")
    assert errors[1].startswith("not JSON")
    assert {r.value for r in letters} >= {b"{this is not json"}


async def test_handler_failure_dead_letters_only_the_bad_event(
        settings, producer, make_topics, unique):
    topic = f"test.handlerfail.{unique}"
    await make_topics(topic)
    handled = []

    async def handle(events):
        if any(e.data.expense_id == "poison" for e in events):
            raise ValueError("cannot apply poison")
        handled.extend(e.data.expense_id for e in events)

    consumer = EventConsumer(name=f"test-{unique}", bootstrap_servers=settings.kafka_bootstrap_servers,
                             group_id=f"g-{unique}", topics=[topic],
                             handlers={"expense.exported": handle}, producer=producer)
    client_id = uuid.uuid4()
    for expense_id in ("a", "poison", "b"):
        await producer.send(topic, encode(
            "expense.exported", ExpenseExported(expense_id=expense_id, client_id=client_id),
            source="/tests", subject=str(client_id)))
    await consumer.start()
    try:
        await wait_for(lambda: len(handled) >= 2 and consumer.dead_lettered == 1)
    finally:
        await consumer.stop()
    assert handled == ["a", "b"]
