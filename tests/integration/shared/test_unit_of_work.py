"""The shared unit of work against the real PostgreSQL: commit, rollback, joining, claims."""

import uuid

import pytest

from shared.db.unit_of_work import UnitOfWork
from shared.events import CloudEvent, new_event

SCHEMA = "clients"  # any service schema: each has outbox and processed_events


def _event() -> CloudEvent:
    return new_event("tests.nothing", source="tests", subject=str(uuid.uuid4()), data={})


async def _outbox_has(pool, event_id: str) -> bool:
    return await pool.fetchval(
        f"select exists(select 1 from {SCHEMA}.outbox where event->>'id' = $1)", event_id)


async def test_announcements_commit_with_the_work_and_callbacks_run_after(pool):
    uow = UnitOfWork(pool, SCHEMA, announce_topic="tests.uow")
    called, event = [], _event()
    async with uow:
        await uow.announce(event)
        uow.after_commit(lambda: called.append(True))
        assert called == []
    assert await _outbox_has(pool, event.id)
    assert called == [True]


async def test_an_error_rolls_everything_back_and_skips_the_callbacks(pool):
    uow = UnitOfWork(pool, SCHEMA, announce_topic="tests.uow")
    called, event = [], _event()
    with pytest.raises(ValueError):
        async with uow:
            await uow.announce(event)
            uow.after_commit(lambda: called.append(True))
            raise ValueError("boom")
    assert not await _outbox_has(pool, event.id)
    assert called == []
    # The connection went back to the pool: the unit of work opens again.
    async with uow:
        assert await uow.conn.fetchval("select 1") == 1


async def test_entering_an_open_unit_joins_its_transaction(pool):
    uow = UnitOfWork(pool, SCHEMA, announce_topic="tests.uow")
    first, second = _event(), _event()
    with pytest.raises(ValueError):
        async with uow:
            async with uow:  # what a service-layer function does inside a batch handler
                await uow.announce(first)
            assert uow.conn.is_in_transaction()
            async with uow:
                await uow.announce(second)
            raise ValueError("the batch fails after both")
    assert not await _outbox_has(pool, first.id)
    assert not await _outbox_has(pool, second.id)


async def test_claim_returns_each_new_event_once_in_order(pool):
    uow = UnitOfWork(pool, SCHEMA)
    consumer = f"tests.uow.{uuid.uuid4()}"
    a, b, c = _event(), _event(), _event()
    async with uow:
        assert [e.id for e in await uow.claim(consumer, [a, b, a, c])] == [a.id, b.id, c.id]
    async with uow:
        assert await uow.claim(consumer, [b, c]) == []


async def test_a_rolled_back_claim_is_claimable_again(pool):
    uow = UnitOfWork(pool, SCHEMA)
    consumer, event = f"tests.uow.{uuid.uuid4()}", _event()
    with pytest.raises(ValueError):
        async with uow:
            await uow.claim(consumer, [event])
            raise ValueError("the effect failed")
    async with uow:
        assert [e.id for e in await uow.claim(consumer, [event])] == [event.id]


async def test_using_the_connection_outside_the_unit_is_refused(pool):
    uow = UnitOfWork(pool, SCHEMA)
    with pytest.raises(RuntimeError, match="not open"):
        uow.conn
