"""schemathesis over the clients API (staff and internal credentials): no 5xx, JSON errors.

The app runs in schemathesis' own event loop (its ASGI transport), over a pool opened in that
loop, against the real PostgreSQL; firms, staff and clients come from this session's world.
The figures line shows in the test output (and as a junit property).
"""

import contextlib
import os

import pytest
import schemathesis

from services.clients.app import create_app
from services.clients.db import SESSION_SETTINGS
from services.clients.runtime import Runtime
from shared.db.pool import create_pool
from tests.integration.openapi_fuzz import fuzz

MAX_EXAMPLES = int(os.environ.get("FUZZ_MAX_EXAMPLES", "25"))


class RoutesInTheServingLoop:
    """The clients routes over a runtime built on lifespan startup, in the loop that serves."""

    def __init__(self, settings):
        self.settings = settings
        self.app = None

    async def __call__(self, scope, receive, send):
        if scope["type"] != "lifespan":
            await self.app(scope, receive, send)
            return
        await receive()  # lifespan.startup
        async with contextlib.AsyncExitStack() as stack:
            pool = await create_pool(self.settings.database_url, max_size=4,
                                     server_settings=SESSION_SETTINGS)
            stack.push_async_callback(pool.close)
            rt = Runtime(settings=self.settings, pool=pool)
            self.app = create_app(runtime=rt)
            await send({"type": "lifespan.startup.complete"})
            await receive()  # lifespan.shutdown
        await send({"type": "lifespan.shutdown.complete"})


@pytest.fixture
async def people(world):
    """An admin's firm with an active client, a pending one and a bookkeeper."""
    firm = await world.firm("Fuzzed firm")
    admin = await world.staff(firm, "admin")
    keeper = await world.staff(firm, "bookkeeper")
    client = await world.client(firm)
    await world.assign(admin, client, keeper)
    return {"firm_id": str(firm), "client_id": str(client), "staff_id": str(keeper.id),
            "admin": admin.headers, "internal": world.internal}


def test_no_route_answers_a_server_error(clients_settings, people, capsys, record_property):
    schema = schemathesis.openapi.from_asgi("/openapi.json",
                                            RoutesInTheServingLoop(clients_settings))

    def credentials(case):
        internal = case.operation.path.startswith("/internal/")
        return {"headers": people["internal"] if internal else people["admin"]}

    report = fuzz(schema, "clients", credentials=credentials, real_ids=people,
                  max_examples=MAX_EXAMPLES)
    with capsys.disabled():  # the figures show in every run, `make test` included
        print(f"\n{report.line()}")
    record_property("schemathesis", report.line())
    assert report.failures == [], "\n".join(report.failures)
    assert report.statuses["2xx"] > 0, "no valid request got through"
    assert report.operations >= 20 and report.cases >= report.operations * MAX_EXAMPLES
