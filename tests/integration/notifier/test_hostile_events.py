"""No message stops the notifier's consumers (issue 10): per consumed topic, hypothesis
batches of random bytes, random JSON and hostile envelopes through the agents' dispatcher with
the real handlers and PostgreSQL, each followed by a valid event that must be applied; then a
few batches through Kafka and a running notifier process, which must stay ready.

Hypothesis drives synchronous tests, so the dispatcher tests run their own event loop.
"""

import asyncio
import json
import uuid
from datetime import UTC, datetime

import httpx
import pytest
from hypothesis import HealthCheck, assume, given, settings

from services.notifier.consumers.partner import partner_handlers
from services.notifier.consumers.platform import expense_handlers, wallet_handlers
from services.notifier.consumers.ticks import tick_handlers
from services.notifier.settings import NotifierSettings
from shared import topics as contract
from shared.db.pool import create_pool
from shared.events import InvalidEvent, UnknownEventType, decode, new_event
from shared.kafka.consumer import EventDispatcher
from shared.kafka.create_topics import create_topics
from shared.kafka.producer import EventProducer
from tests.integration.hostile_events import (TEMPLATES, Ledger, accounted, hostile_messages,
                                              records, topic_types)
from tests.integration.notifier.factories import expense_created, staff_upserted, tick
from tests.integration.waiting import wait_for

KINDS = {"partner": contract.PARTNER_CLIENTS, "expenses": contract.PLATFORM_EXPENSES,
         "wallets": contract.PLATFORM_WALLETS, "ticks": contract.NOTIFIER_TICKS}
PROBE_TICK = TEMPLATES["schedule.tick"]()["scheduled_for"]


def _owes_nothing(message: bytes) -> bool:
    """False for a valid tick of another time: it could owe digests to everybody's staff in
    the shared database; such a tick is the normal case, not a hostile one."""
    try:
        event = decode(message)
    except (InvalidEvent, UnknownEventType):
        return True
    return event.type != "schedule.tick" or event.data.scheduled_for == datetime.fromisoformat(
        PROBE_TICK)


def _valid(kind: str) -> tuple[bytes, tuple]:
    """A valid event of `kind` and the query telling that it reached the read model."""
    thing = uuid.uuid4()
    if kind == "partner":
        event = staff_upserted(staff_id=thing, firm_id=uuid.uuid4(), email="fine@x.example",
                               name="Fine", role="bookkeeper")
        event = event.model_copy(update={"data": event.data | {"active": False}})
        check = ("select count(*) = 1 from notifier.staff where staff_id = $1", thing)
    elif kind == "expenses":
        event = expense_created(client_id=thing, expense_id="fine")
        check = ("select missing_receipts = 1 from notifier.task_figures where client_id = $1",
                 thing)
    elif kind == "wallets":
        event = new_event("wallet.balance_changed", source="/fine", subject=str(thing),
                          data={"client_id": str(thing), "balance_minor": 42,
                                "currency": "EUR"}, sequence=1)
        check = ("select wallet_balance_minor = 42 from notifier.task_figures"
                 " where client_id = $1", thing)
    else:
        event = tick(datetime.fromisoformat(PROBE_TICK), event_id=str(thing))
        check = ("select count(*) = 1 from notifier.processed_events"
                 " where consumer = 'notifier.ticks' and event_id = $1", str(thing))
    return event.to_bytes(), check


@pytest.fixture
def loop_and_stack(settings, migrated, unique):
    with asyncio.Runner() as runner:

        async def open_():
            pool = await create_pool(settings.database_url, max_size=4)
            producer = EventProducer(settings.kafka_bootstrap_servers, client_id="hostile")
            await producer.start()
            return pool, producer

        pool, producer = runner.run(open_())
        try:
            yield runner.run, pool, producer
        finally:
            runner.run(producer.stop())
            runner.run(pool.close())


@pytest.mark.parametrize("kind", list(KINDS))
def test_hostile_batches_never_stop_the_dispatcher(loop_and_stack, settings, kind, unique):
    run, pool, producer = loop_and_stack
    topic = f"test.hostile.notifier.{unique}.{kind}"
    run(create_topics(settings.kafka_bootstrap_servers, [topic, f"{topic}.dlq"], partitions=1))
    # A unique app id: whatever a hostile event writes to the email outbox is nobody's to send.
    s = NotifierSettings(app_env="test", notifier_app_id=f"hostile-{unique}")
    table = {"partner": lambda: partner_handlers(pool, s), "expenses": lambda: expense_handlers(pool),
             "wallets": lambda: wallet_handlers(pool), "ticks": lambda: tick_handlers(pool, s)}
    ledger = Ledger(table[kind]())
    dispatcher = EventDispatcher(name=f"hostile.{kind}", handlers=ledger.handlers,
                                 producer=producer)
    offset = 0

    @settings_(max_examples=40)
    @given(batch=hostile_messages(topic_types(KINDS[kind])))
    def example(batch):
        nonlocal offset
        assume(all(_owes_nothing(m) for m in batch))
        fine, check = _valid(kind)
        before = ledger.snapshot(dispatcher)
        run(dispatcher.process(records(topic, [*batch, fine], offset)))
        offset += len(batch) + 1
        assert run(pool.fetchval(*check)), "the valid event after the batch was not applied"
        assert accounted(before, ledger.snapshot(dispatcher)) == len(batch) + 1
        assert not dispatcher.crashed

    example()
    assert dispatcher.dead_lettered > 0


def settings_(max_examples: int):
    return settings(max_examples=max_examples, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.filter_too_much])


async def test_hostile_messages_through_the_running_notifier(notifier, producer, pool, settings):
    """The faust agents' own code path: every topic gets the poison of issue 10 and more, then
    a valid event; the agents stay alive and /readyz stays 200."""
    poison = [b"[" * 100_000, b'{"n": ' + b"9" * 5000 + b"}", b"\xff\xfe", b'{"a": "\\u0000"}',
              json.dumps({"specversion": "1.0", "id": "x", "source": "/h",
                          "type": "wallet.balance_changed", "time": "2024-01-01T00:00:00Z",
                          "sequence": 2**63, "data": {}}).encode()]
    checks = []
    for kind in KINDS:
        topic = notifier.topics[kind]
        key = uuid.uuid4().hex.encode()
        fine, check = _valid(kind)
        await producer.send_many_raw([(topic, key, m) for m in poison] + [(topic, key, fine)])
        checks.append(check)
    for check in checks:
        await wait_for(lambda check=check: pool.fetchval(*check), timeout=30)
    async with httpx.AsyncClient() as http:
        ready = await http.get(f"http://127.0.0.1:{notifier.web_port}/readyz")
        metrics = (await http.get(f"http://127.0.0.1:{notifier.web_port}/metrics")).text
    assert ready.status_code == 200, ready.text
    assert ready.json()["checks"]["agents"] == "ok"
    for kind in KINDS:
        dead = (f'events_dead_lettered_total{{cause="invalid",consumer="notifier.{kind}",'
                f'topic="{notifier.topics[kind]}"}} ')
        [line] = [x for x in metrics.splitlines() if x.startswith(dead)]
        assert float(line.removeprefix(dead)) >= len(poison)
    assert 'consumer_lag_messages{consumer="notifier.ticks"' in metrics
