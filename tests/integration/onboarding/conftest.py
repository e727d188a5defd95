"""Fixtures of the onboarding integration tests: the app in-process on a topic of its own."""

import uuid

import httpx
import pytest

from services.onboarding.app import create_app
from services.onboarding.settings import OnboardingSettings
from shared.kafka.create_topics import create_topics
from tests.integration.kafka_reading import TopicReader
from tests.integration.onboarding.provider import OnboardingCalls


class CaseEvents(TopicReader):
    """The verification topic read back, by case."""

    def events_of_case(self, case_id) -> list[dict]:
        """The decoded events about `case_id`, in arrival order."""
        return self.events(lambda e: e["data"].get("case_id") == str(case_id))

    async def wait_for_case(self, case_id, count: int, timeout: float = 15.0) -> list[dict]:
        """Wait until `count` events about `case_id` arrived; return them."""
        await self.wait_until(lambda _: len(self.events_of_case(case_id)) >= count, timeout)
        events = self.events_of_case(case_id)
        assert len(events) >= count, (
            f"only {len(events)} of {count} events for case {case_id} arrived")
        return events


@pytest.fixture(scope="session")
async def onboarding_topic(settings, migrated) -> str:
    """A verification topic for this test session only."""
    topic = f"test.onboarding.{uuid.uuid4().hex[:10]}"
    await create_topics(settings.kafka_bootstrap_servers, [topic, f"{topic}.dlq"], partitions=3)
    return topic


@pytest.fixture(scope="session")
def onboarding_settings(onboarding_topic) -> OnboardingSettings:
    return OnboardingSettings(app_env="test", verification_topic=onboarding_topic,
                              outbox_poll_interval_seconds=0.2)


@pytest.fixture(scope="module")
async def onboarding_app(onboarding_settings):
    """The app with its lifespan running (pool, producer, outbox relay); no expiry loop."""
    app = create_app(onboarding_settings, run_expiry_job=False)
    async with app.router.lifespan_context(app):
        yield app


@pytest.fixture(scope="module")
async def calls(onboarding_app, onboarding_settings):
    transport = httpx.ASGITransport(app=onboarding_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://onboarding") as http:
        yield OnboardingCalls(http, internal_token=onboarding_settings.internal_api_token,
                              webhook_secret=onboarding_settings.verification_webhook_secret)


@pytest.fixture(scope="session")
async def topic_reader(settings, onboarding_topic):
    reader = CaseEvents(settings.kafka_bootstrap_servers, onboarding_topic)
    await reader.start()
    yield reader
    await reader.stop()


@pytest.fixture
def db_rows(pool):
    """Counts of what a case left in the database: history and outbox rows."""

    async def _rows(case_id) -> dict:
        history = await pool.fetchval(
            "select count(*) from onboarding.case_transitions where case_id = $1",
            uuid.UUID(str(case_id)))
        outbox = await pool.fetchval(
            "select count(*) from onboarding.outbox where event->'data'->>'case_id' = $1",
            str(case_id))
        state = await pool.fetchval(
            "select state from onboarding.verification_cases where id = $1",
            uuid.UUID(str(case_id)))
        return {"state": state, "history": history, "outbox": outbox}

    return _rows
