"""Fixtures every layer of tests shares.

Integration tests talk to the real PostgreSQL and Kafka that `make test` starts; each test
uses its own ids and, where it needs isolation on Kafka, its own topic names.
"""

import uuid

import pytest

from shared.settings import Settings


@pytest.fixture(scope="session")
def settings() -> Settings:
    return Settings(app_env="test")


@pytest.fixture
def unique() -> str:
    """A short unique suffix for names (topics, groups, firms) of one test."""
    return uuid.uuid4().hex[:10]
