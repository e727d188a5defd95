"""What the routes, consumers and workers share at run time: settings, pool, outbox."""

from collections.abc import Callable
from dataclasses import dataclass, field
from uuid import UUID

import asyncpg

from services.clients.db.announcer import Announcer
from services.clients.domain.visibility import Caller
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
    # Staff as this process last saw them: only a guess to plan a list page with before the
    # database has answered; the page's own statement re-reads the staff row and the page
    # is thrown away when it differs (service_layer/listing.py). Never an authority.
    staff_seen: dict[UUID, Caller] = field(default_factory=dict)
