"""What the routes, consumers and workers share at run time: settings, pool, outbox."""

from collections.abc import Callable
from dataclasses import dataclass, field

import asyncpg

from services.clients.db.announcer import Announcer
from services.clients.settings import ClientsSettings


def _nothing() -> None:
    return None


@dataclass
class Runtime:
    settings: ClientsSettings
    pool: asyncpg.Pool
    announcer: Announcer
    # Nudges the case opener right after an invite commits (it also polls on its own).
    wake_case_opener: Callable[[], None] = field(default=_nothing)
