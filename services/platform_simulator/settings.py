"""Settings of the platform simulator (everything else comes from `shared.settings`)."""

from pydantic import Field

from shared.settings import Settings


class SimulatorSettings(Settings):
    """Environment: SIMULATOR_RATE, SIMULATOR_PROGRESS_SECONDS (command-line options win)."""

    # Events per second when --rate is not given: gentle enough to watch the portal move.
    simulator_rate: float = Field(default=2.0, ge=0)
    simulator_progress_seconds: float = Field(default=5.0, gt=0)
