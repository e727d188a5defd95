"""Writes the service's announcements to its outbox, in the caller's transaction."""

import asyncpg

from shared.db.outbox import Outbox
from shared.events import CloudEvent

SCHEMA = "clients"


class Announcer:
    """The outbox of the clients schema and the topic its events go to."""

    def __init__(self, topic: str, outbox: Outbox | None = None):
        self.topic = topic
        self.outbox = outbox or Outbox(SCHEMA)

    async def add(self, conn: asyncpg.Connection, *events: CloudEvent) -> None:
        for event in events:
            await self.outbox.add(conn, self.topic, event)
