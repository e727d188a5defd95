"""Fixtures of the clients integration tests: the API in-process over the real database."""

import uuid

import httpx
import pytest

from services.clients.app import create_app
from services.clients.db import SESSION_SETTINGS
from services.clients.runtime import Runtime
from services.clients.settings import ClientsSettings
from shared.db.pool import create_pool
from shared.kafka.create_topics import create_topics
from tests.integration.clients.world import World


@pytest.fixture(scope="session")
async def clients_settings(settings) -> ClientsSettings:
    # Announcements go to a topic of this session: a relay running elsewhere against the same
    # database (a developer's `make up`) must not feed this session's test data to a notifier.
    topic = f"test.partner.clients.{uuid.uuid4().hex[:10]}"
    await create_topics(settings.kafka_bootstrap_servers, [topic], partitions=1)
    return ClientsSettings(app_env="test", case_opener_poll_seconds=0.2, announce_topic=topic)


@pytest.fixture(scope="session")
async def clients_pool(settings, migrated):
    """A pool set up as the service sets up its own (generic plans)."""
    pool = await create_pool(settings.database_url, max_size=10, server_settings=SESSION_SETTINGS)
    yield pool
    await pool.close()


@pytest.fixture(scope="session")
def runtime(clients_settings, clients_pool) -> Runtime:
    return Runtime(settings=clients_settings, pool=clients_pool)


@pytest.fixture(scope="session")
async def api(runtime):
    """An HTTP client of the clients API (routes only: no consumer, relay or opener)."""
    app = create_app(runtime=runtime)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://clients") as http:
        yield http


@pytest.fixture
def world(api, runtime, pool) -> World:
    """Builds firms, staff and clients of one test through the internal routes."""
    return World(api, runtime, pool)
