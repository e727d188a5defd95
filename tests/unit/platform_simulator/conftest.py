"""The plan most simulator unit tests run: 15 clients, two firms with 4 invitations each."""

import pytest

from services.platform_simulator.domain.plan import Plan
from tests.unit.platform_simulator.sample import FIRMS, START


@pytest.fixture(scope="session")
def plan() -> Plan:
    return Plan(seed=7, start_time=START, rate=10.0, generated_clients=15, firm_ids=FIRMS,
                invites_per_firm=4, sequence_start=1)
