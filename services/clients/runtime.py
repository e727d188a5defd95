"""What the routes, consumers and workers share at run time: settings, pool, units of work."""

from collections.abc import Callable
from dataclasses import dataclass, field

import asyncpg

from services.clients.db.unit_of_work import ClientsUnitOfWork, no_case_opener
from services.clients.domain.known_callers import KnownCallers
from services.clients.settings import ClientsSettings


@dataclass
class Runtime:
    settings: ClientsSettings
    pool: asyncpg.Pool
    # Nudges the case opener right after an invite commits (it also polls on its own).
    wake_case_opener: Callable[[], None] = field(default=no_case_opener)
    # The list's staff members as last seen (domain/known_callers.py).
    known_callers: KnownCallers = field(default_factory=KnownCallers)

    def unit_of_work(self) -> ClientsUnitOfWork:
        """A new unit of work (one per use case, or per consumed batch)."""
        return ClientsUnitOfWork(self.pool, announce_topic=self.settings.announce_topic,
                                 wake_case_opener=self.wake_case_opener)
