"""A fixed clock, two firms and a helper to take events from a simulation."""

import uuid
from datetime import UTC, datetime
from itertools import islice

from services.platform_simulator.domain.simulation import Simulation

START = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
FIRMS = (uuid.UUID("8a2b9c4d-1e2f-4a3b-8c4d-5e6f7a8b9c02"),
         uuid.UUID("1b7e0c55-4f0d-4d61-9a0e-2f3c4d5e6f70"))


def take(sim: Simulation, count: int) -> list:
    """The first `count` events of the simulation's stream."""
    return list(islice(sim.events(), count))
