"""No message stops the clients consumer (issue 10): per consumed topic, hypothesis batches of
random bytes, random JSON and hostile envelopes, each followed by a valid event that must reach
the read model; every hostile message is dead-lettered with an error header, skipped as an
unknown type, or (when it happens to be valid) applied.

Most examples run through the dispatcher with the real handlers and PostgreSQL (the consumer's
own code path, without Kafka's latency); a few run through Kafka and the running consumer.
Hypothesis drives synchronous tests, so these run their own event loop.
"""

import asyncio
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from prometheus_client import REGISTRY

from services.clients.consumers.wiring import build_consumer, handlers
from services.clients.db import SESSION_SETTINGS
from services.clients.runtime import Runtime
from shared import topics as contract
from shared.db.pool import create_pool
from shared.events import new_event
from shared.kafka.consumer import EventDispatcher
from shared.kafka.create_topics import create_topics
from shared.kafka.producer import EventProducer
from tests.integration.hostile_events import (TEMPLATES, Ledger, accounted, envelope,
                                              hostile_messages, records, topic_types)
from tests.integration.kafka_reading import read_records

KINDS = {"expenses": contract.PLATFORM_EXPENSES, "wallets": contract.PLATFORM_WALLETS,
         "companies": contract.PLATFORM_COMPANIES,
         "verification": contract.ONBOARDING_VERIFICATION}


class Stack:
    """Pool, producer and a firm of this test, on the test's own event loop."""

    def __init__(self, runner: asyncio.Runner, settings, clients_settings):
        self.run = runner.run
        self.settings = settings
        self.pool = self.run(create_pool(settings.database_url, max_size=4,
                                         server_settings=SESSION_SETTINGS))
        self.rt = Runtime(settings=clients_settings, pool=self.pool)
        self.producer = self.run(self._started_producer())
        self.firm = uuid.uuid4()
        self.run(self.pool.execute("insert into clients.firms (id, name) values ($1, 'Hostile')",
                                   self.firm))

    async def _started_producer(self) -> EventProducer:
        producer = EventProducer(self.settings.kafka_bootstrap_servers, client_id="hostile")
        await producer.start()
        return producer

    def close(self) -> None:
        self.run(self.producer.stop())
        self.run(self.pool.close())

    async def valid_event(self, kind: str) -> tuple[bytes, object]:
        """A valid event of `kind` and a coroutine function telling whether it was applied."""
        client = uuid.uuid4()
        if kind == "expenses":
            data = TEMPLATES["expense.created"]() | {"client_id": str(client)}
            doc = envelope("expense.created", data, sequence=None)
            check = ("select missing_receipts = 1 from clients.task_figures"
                     " where client_id = $1", client)
        elif kind == "wallets":
            doc = envelope("wallet.balance_changed", {"client_id": str(client),
                                                      "balance_minor": 42, "currency": "EUR"})
            check = ("select wallet_balance_minor = 42 from clients.task_figures"
                     " where client_id = $1", client)
        elif kind == "companies":
            doc = envelope("company.bookkeeper_invited", {
                "client_id": str(client), "firm_id": str(self.firm), "client_name": "Fine Co",
                "registration_number": "NL2", "country": "NL"})
            check = ("select state = 'invitation_pending' from clients.links"
                     " where client_id = $1", client)
        else:
            await self.pool.execute(
                "insert into clients.companies (id, name, country) values ($1, 'Onb', 'NL')",
                client)
            await self.pool.execute(
                "insert into clients.links (firm_id, client_id, state, name,"
                " registration_number, country) values ($1, $2, 'onboarding', 'Onb', '', 'NL')",
                self.firm, client)
            doc = envelope("verification.state_changed", {
                "client_id": str(client), "firm_id": str(self.firm),
                "case_id": str(uuid.uuid4()), "from_state": "in_review",
                "to_state": "verified"})
            check = ("select state = 'active' from clients.links where client_id = $1", client)
        return new_event(doc["type"], source="/fine", subject=str(client), data=doc["data"],
                         sequence=doc.get("sequence")).to_bytes(), check

    async def applied(self, check) -> bool:
        return bool(await self.pool.fetchval(*check))


@pytest.fixture
def stack(settings, clients_settings, migrated):
    with asyncio.Runner() as runner:
        made = Stack(runner, settings, clients_settings)
        try:
            yield made
        finally:
            made.close()


@pytest.mark.parametrize("kind", list(KINDS))
def test_hostile_batches_never_stop_the_dispatcher(stack, kind, unique):
    topic = f"test.hostile.clients.{unique}.{kind}"
    stack.run(create_topics(stack.settings.kafka_bootstrap_servers, [topic, f"{topic}.dlq"],
                            partitions=1))
    ledger = Ledger(handlers(stack.rt.unit_of_work))
    dispatcher = EventDispatcher(name=f"hostile.{kind}", handlers=ledger.handlers,
                                 producer=stack.producer)
    offset = 0

    @settings(max_examples=50, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(batch=hostile_messages(topic_types(KINDS[kind])))
    def example(batch):
        nonlocal offset
        fine, check = stack.run(stack.valid_event(kind))
        before = ledger.snapshot(dispatcher)
        stack.run(dispatcher.process(records(topic, [*batch, fine], offset)))
        offset += len(batch) + 1
        assert stack.run(stack.applied(check)), "the valid event after the batch was not applied"
        assert accounted(before, ledger.snapshot(dispatcher)) == len(batch) + 1
        assert not dispatcher.crashed

    example()
    assert dispatcher.dead_lettered > 0
    letters = stack.run(read_records(stack.settings.kafka_bootstrap_servers, f"{topic}.dlq",
                                     dispatcher.dead_lettered))
    assert len(letters) == dispatcher.dead_lettered
    assert all(dict(r.headers).get("error") for r in letters)


def test_hostile_batches_through_kafka_leave_the_consumer_running(stack, clients_settings,
                                                                   unique):
    names = {kind: f"test.hostile.kafka.{unique}.{kind}" for kind in KINDS}
    stack.run(create_topics(stack.settings.kafka_bootstrap_servers,
                            [t for n in names.values() for t in (n, f"{n}.dlq")], partitions=3))

    async def started():
        made = build_consumer(clients_settings, stack.rt.unit_of_work, stack.producer,
                              group_id=f"test.hostile.{unique}", topics=list(names.values()),
                              name=f"hostile-{unique}")
        await made.start()
        return made

    consumer = stack.run(started())
    try:
        for kind, topic in names.items():
            _through_kafka(stack, consumer, kind, topic)
        stack.run(_until(_async(lambda: consumer.dead_lettered + consumer.skipped > 0)))
        assert consumer.running and consumer.restarts == 0
        assert stack.run(consumer.ready())
    finally:
        stack.run(consumer.stop())
    for name in names.values():
        count = sum(REGISTRY.get_sample_value("events_dead_lettered_total", {
            "consumer": consumer.name, "topic": name, "cause": cause}) or 0
            for cause in ("invalid", "message", "bug"))
        letters = stack.run(read_records(stack.settings.kafka_bootstrap_servers,
                                         f"{name}.dlq", count)) if count else []
        assert len(letters) == count
        assert all(dict(r.headers)["error"] for r in letters)


def _through_kafka(stack, consumer, kind: str, topic: str) -> None:
    @settings(max_examples=3, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(batch=hostile_messages(topic_types(KINDS[kind]), max_size=8))
    def example(batch):
        fine, check = stack.run(stack.valid_event(kind))
        key = uuid.uuid4().hex.encode()  # one partition: the batch, then the valid event
        stack.run(stack.producer.send_many_raw([(topic, key, v) for v in batch]
                                               + [(topic, key, fine)]))
        stack.run(_until(lambda: stack.applied(check)))
        assert consumer.running

    example()


def _async(predicate):
    async def check():
        return predicate()
    return check


async def _until(check, timeout: float = 20.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not await check():
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.05)
