"""Fixtures of the notifier's integration tests: an SMTP sink, a notifier process, clean-up."""

import uuid

import pytest

from tests.integration.notifier.process import NotifierProcess
from tests.integration.notifier.smtp_sink import SmtpSink
from tests.integration.waiting import wait_for


@pytest.fixture(scope="module")
def smtp_sink():
    with SmtpSink() as sink:
        yield sink


@pytest.fixture(scope="module")
async def notifier(settings, pool, producer, smtp_sink, tmp_path_factory):
    """A running notifier (module-wide) on its own topics, sending to `smtp_sink`."""
    proc = NotifierProcess(app_id=f"ntest-{uuid.uuid4().hex[:10]}", smtp_port=smtp_sink.port,
                           log_dir=tmp_path_factory.mktemp("notifier"))
    await proc.create_topics(settings.kafka_bootstrap_servers)
    proc.start()
    try:
        await proc.wait_ready(pool, producer)
        yield proc
    finally:
        proc.stop()


@pytest.fixture
async def firms(pool):
    """Firm ids a test creates; their staff are deactivated afterwards, so that digests of
    later send times (other tests, later runs) leave them alone."""
    created: list[uuid.UUID] = []
    yield created
    if created:
        await pool.execute("update notifier.staff set active = false"
                           " where firm_id = any($1::uuid[])", created)


async def deliver(producer, pool, events_by_topic: dict) -> None:
    """Produce the events and wait until the notifier has applied every one of them."""
    ids = {e.id for events in events_by_topic.values() for e in events}
    await producer.send_many((topic, e) for topic, events in events_by_topic.items()
                             for e in events)
    await wait_for(lambda: _all_applied(pool, ids))


async def _all_applied(pool, ids: set[str]) -> bool:
    done = await pool.fetchval("select count(distinct event_id) from notifier.processed_events"
                               " where event_id = any($1::text[])", list(ids))
    return done == len(ids)
