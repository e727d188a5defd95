"""Every state change reaches Kafka through the outbox, even across a crash before publishing."""

import uuid

import pytest

from services.onboarding.service_layer.verification_cases import VerificationCases
from shared.db.outbox import Outbox, OutboxRelay
from shared.kafka.producer import EventProducer

RELAY_LOCK = "select pg_advisory_lock(hashtext('onboarding.outbox'))"
RELAY_UNLOCK = "select pg_advisory_unlock(hashtext('onboarding.outbox'))"


async def test_each_change_is_published_in_order_keyed_by_client(calls, topic_reader):
    case = await calls.new_case()
    await calls.drive(case["case_id"], "submitted", "approved")
    events = await topic_reader.wait_for_case(case["case_id"], 3)
    assert [(e["data"]["from_state"], e["data"]["to_state"]) for e in events] == [
        (None, "invited"), ("invited", "in_review"), ("in_review", "verified")]
    assert {e["type"] for e in events} == {"verification.state_changed"}
    assert {e["subject"] for e in events} == {case["client_id"]}
    assert {e["data"]["firm_id"] for e in events} == {case["firm_id"]}
    assert [e["sequence"] for e in events] == [1, 2, 3]
    detail = await calls.read_case(case["case_id"])
    assert [e["id"] for e in events] == [h["event_id"] for h in detail["history"]]
    records = [r for r in topic_reader.records if r.key == case["client_id"].encode()]
    assert len({r.partition for r in records}) == 1


async def test_changes_committed_before_a_crash_are_published_by_a_new_relay(
        settings, pool, onboarding_topic, topic_reader):
    outbox = Outbox("onboarding")
    cases = VerificationCases(pool, outbox=outbox, topic=onboarding_topic)
    async with pool.acquire() as lock:
        # While this is held no relay anywhere may publish: the service "crashed" after commit.
        await lock.execute(RELAY_LOCK)
        try:
            case, _ = await cases.open(client_id=uuid.uuid4(), firm_id=uuid.uuid4(),
                                       contact_email="x@example.com")
            await cases.apply_provider_event(case_id=case.id, event="submitted", reason=None,
                                             body_sha256="crash-test-" + uuid.uuid4().hex)
            unpublished = await pool.fetchval(
                "select count(*) from onboarding.outbox where published_at is null"
                " and event->'data'->>'case_id' = $1", str(case.id))
            assert unpublished == 2
        finally:
            await lock.execute(RELAY_UNLOCK)

    producer = EventProducer(settings.kafka_bootstrap_servers, client_id="onboarding-restarted")
    await producer.start()
    relay = OutboxRelay(pool, producer, outbox, poll_interval=0.1)
    await relay.start()
    try:
        events = await topic_reader.wait_for_case(case.id, 2)
        assert [e["data"]["to_state"] for e in events] == ["invited", "in_review"]
    finally:
        await relay.stop()
        await producer.stop()
    assert await pool.fetchval(
        "select count(*) from onboarding.outbox where published_at is null"
        " and event->'data'->>'case_id' = $1", str(case.id)) == 0


class _BrokenOutbox(Outbox):
    async def add(self, conn, topic, event):
        raise RuntimeError("outbox insert failed")


async def test_a_change_whose_event_cannot_be_written_is_not_committed(
        pool, onboarding_topic, calls, db_rows):
    broken = VerificationCases(pool, outbox=_BrokenOutbox("onboarding"), topic=onboarding_topic)
    client_id = uuid.uuid4()
    with pytest.raises(RuntimeError):
        await broken.open(client_id=client_id, firm_id=uuid.uuid4(), contact_email="x@y.zz")
    assert await pool.fetchval("select count(*) from onboarding.verification_cases"
                               " where client_id = $1", client_id) == 0

    case = await calls.new_case()
    with pytest.raises(RuntimeError):
        await broken.apply_provider_event(case_id=uuid.UUID(case["case_id"]), event="submitted",
                                          reason=None, body_sha256=uuid.uuid4().hex)
    assert await db_rows(case["case_id"]) == {"state": "invited", "history": 1, "outbox": 1}
