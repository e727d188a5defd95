"""Handler of notifier.ticks.v1: a tick writes the digests its day owes, once.

Writing is idempotent by itself (the unique (staff, send time) key and the anti-join of
db/digests.py) and commits chunk by chunk, so the tick's id is claimed only after its
digests are all written: a tick that died half-way is delivered again and writes the rest."""

import logging

import asyncpg

from services.notifier.db import SCHEMA
from services.notifier.db.digests import write_digests
from services.notifier.domain.schedule import due_frequencies
from services.notifier.metrics import DIGESTS_WRITTEN
from services.notifier.settings import NotifierSettings
from shared.db.idempotency import claim_new_events
from shared.digest_schedule import latest_send_time
from shared.events import Event
from shared.kafka.consumer import Handler

log = logging.getLogger(__name__)


def tick_handlers(pool: asyncpg.Pool, settings: NotifierSettings) -> dict[str, Handler]:
    """type -> handler for schedule.tick; acts on the tick's `scheduled_for`, not the clock."""
    tz, hour = settings.digest_timezone, settings.digest_hour

    async def ticks(events: list[Event]) -> None:
        # A tick after DIGEST_HOUR owes that day's send time: after downtime the first tick
        # back still writes the day's digests; the (staff, send time) key keeps them to one.
        owed = {latest_send_time(e.data.scheduled_for, tz=tz, hour=hour) for e in events}
        for send_time in sorted(t for t in owed if t is not None):
            frequencies = due_frequencies(send_time, tz=tz)
            if not frequencies:
                continue
            async with pool.acquire() as conn:
                written = await write_digests(conn, origin=settings.notifier_app_id,
                                              send_time=send_time, frequencies=frequencies,
                                              mail_domain=settings.mail_domain)
            if written:
                DIGESTS_WRITTEN.inc(written)
                log.info("digests written", extra={"send_time": send_time.isoformat(),
                                                   "digests": written,
                                                   "event_ids": [e.id for e in events]})
        await claim_new_events(pool, SCHEMA, "notifier.ticks", [e.id for e in events])

    return {"schedule.tick": ticks}
