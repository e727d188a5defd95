"""The case opener against a stand-in onboarding service answering 409, 422, 503 or hanging.

No transaction or row lock is held across the HTTP call; a 4xx is recorded and not retried;
a 5xx or a timeout is retried with backoff until the stand-in answers 201.
"""

import asyncio
import uuid
from uuid import UUID

import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from services.clients.db.case_openings import CaseOpenings
from services.clients.workers.case_opener import CaseOpener
from tests.integration.clients.test_invite import free_port, keep_to_ourselves


class StandIn:
    """An onboarding stand-in: per case id, the statuses to answer in turn (then 201)."""

    def __init__(self):
        self.answers: dict[str, list[int]] = {}
        self.calls: list[str] = []
        self.hold: asyncio.Event | None = None
        self.called = asyncio.Event()

    async def open_case(self, request: Request) -> JSONResponse:
        case_id = (await request.json())["case_id"]
        self.calls.append(case_id)
        self.called.set()
        if self.hold is not None:
            await self.hold.wait()
        queued = self.answers.get(case_id) or [201]
        status = queued.pop(0) if len(queued) > 1 else queued[0]
        body = {"case_id": case_id} if status < 300 else {"error": {"code": "no", "message":
                                                                    f"answered {status}"}}
        return JSONResponse(body, status_code=status)


@pytest.fixture
async def stand_in():
    standin, port = StandIn(), free_port()
    app = Starlette(routes=[Route("/internal/v1/cases", standin.open_case, methods=["POST"])])
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    serving = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.02)
    standin.url = f"http://127.0.0.1:{port}"
    yield standin
    if standin.hold is not None:
        standin.hold.set()
    server.should_exit = True
    await serving


@pytest.fixture
async def opener(runtime, world, stand_in):
    settings = runtime.settings.model_copy(update={
        "onboarding_base_url": stand_in.url, "case_opener_timeout_seconds": 1.0,
        "case_opener_max_backoff_seconds": 4.0})
    opener = CaseOpener(world.pool, settings)
    yield opener
    await opener.stop()


async def pending_opening(world) -> UUID:
    firm = await world.firm()
    client = await world.client(firm, "invitation_pending")
    case_id = uuid.uuid4()
    async with world.pool.acquire() as conn:
        await CaseOpenings(conn).add(case_id=case_id, client_id=client, firm_id=firm,
                                     contact_email="owner@client.example")
    await keep_to_ourselves(world.pool, case_id)
    return case_id


async def row(world, case_id: UUID):
    return await world.pool.fetchrow(
        "select attempts, last_status, last_error, opened_at, rejected_at,"
        " extract(epoch from next_attempt_at - now())::float8 as due_in"
        " from clients.case_openings where case_id = $1", case_id)


@pytest.mark.parametrize("status", [409, 422])
async def test_a_4xx_is_recorded_and_not_retried(world, opener, stand_in, status):
    case_id = await pending_opening(world)
    stand_in.answers[str(case_id)] = [status]

    assert await opener.open_next(case_id)
    got = await row(world, case_id)
    assert got["rejected_at"] is not None and got["opened_at"] is None
    assert got["last_status"] == status and f"HTTP {status}" in got["last_error"]
    assert got["attempts"] == 1
    # never claimed again, not even when asked for by id, and not counted as pending
    await world.pool.execute("update clients.case_openings set next_attempt_at = now()"
                             " - interval '1 hour' where case_id = $1", case_id)
    assert not await opener.open_next(case_id)
    assert stand_in.calls == [str(case_id)]


async def test_a_503_and_a_timeout_are_retried_with_backoff_until_opened(world, opener,
                                                                         stand_in):
    case_id = await pending_opening(world)
    stand_in.answers[str(case_id)] = [503, 201]

    assert await opener.open_next(case_id)
    first = await row(world, case_id)
    assert first["opened_at"] is None and first["rejected_at"] is None
    assert first["last_status"] == 503 and 0.5 < first["due_in"] <= 1.0  # 1 s after one try

    stand_in.hold = asyncio.Event()  # the next call hangs past the client's timeout
    assert await opener.open_next(case_id)
    second = await row(world, case_id)
    assert second["opened_at"] is None and second["rejected_at"] is None
    assert second["last_status"] is None and "Timeout" in second["last_error"]
    assert 1.5 < second["due_in"] <= 2.0  # 2 s after two tries
    stand_in.hold.set()
    stand_in.hold = None

    assert await opener.open_next(case_id)
    opened = await row(world, case_id)
    assert opened["opened_at"] is not None and opened["attempts"] == 3
    assert stand_in.calls == [str(case_id)] * 3


async def test_no_transaction_or_row_lock_is_held_during_the_call(world, opener, stand_in):
    case_id = await pending_opening(world)
    stand_in.hold = asyncio.Event()
    call = asyncio.create_task(opener.open_next(case_id))
    await asyncio.wait_for(stand_in.called.wait(), 5)

    # while onboarding is still thinking: the row can be locked at once by anyone else...
    async with world.pool.acquire() as conn, conn.transaction():
        await conn.execute("set local lock_timeout = '100ms'")
        locked = await conn.fetchval("select case_id from clients.case_openings"
                                     " where case_id = $1 for update", case_id)
    assert locked == case_id
    # ...it is leased (not due) so another opener leaves it alone, and no session of ours
    # sits idle in a transaction
    assert (await row(world, case_id))["due_in"] > 1.0
    idle = await world.pool.fetchval(
        "select count(*) from pg_stat_activity where datname = current_database()"
        " and state = 'idle in transaction' and query ilike '%case_openings%'")
    assert idle == 0

    stand_in.hold.set()
    assert await asyncio.wait_for(call, 5)
    assert (await row(world, case_id))["opened_at"] is not None
