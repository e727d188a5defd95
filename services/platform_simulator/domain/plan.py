"""What one simulator run is asked to do: which clients, which firms, how fast, which seed."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

# Simulated time between two events when no rate is given (as fast as the broker takes them).
NOMINAL_STEP = timedelta(milliseconds=10)


@dataclass(frozen=True, slots=True)
class Plan:
    seed: int
    start_time: datetime
    rate: float = 0.0
    client_ids: tuple[UUID, ...] = ()
    generated_clients: int = 0
    firm_ids: tuple[UUID, ...] = ()
    invites_per_firm: int = 0
    # First wallet `sequence` of every client; later runs must start above earlier ones.
    sequence_start: int = 1

    def __post_init__(self) -> None:
        if self.start_time.tzinfo is None:
            raise ValueError("start_time needs a time zone")
        if self.invites_per_firm and not self.firm_ids:
            raise ValueError("invitations need at least one firm")
        if not (self.client_ids or self.generated_clients or self.invites_per_firm):
            raise ValueError("no clients to simulate")

    @property
    def step(self) -> timedelta:
        """Simulated time between two consecutive events."""
        return timedelta(seconds=1 / self.rate) if self.rate > 0 else NOMINAL_STEP
