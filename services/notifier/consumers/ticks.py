"""Handler of notifier.ticks.v1: a tick writes the digests its day owes, once."""

import logging

import asyncpg

from services.notifier.consumers.idempotent import idempotent
from services.notifier.db.digests import write_digests
from services.notifier.domain.schedule import due_frequencies
from services.notifier.metrics import DIGESTS_WRITTEN
from services.notifier.settings import NotifierSettings
from shared.digest_schedule import latest_send_time
from shared.events import Event
from shared.kafka.consumer import Handler

log = logging.getLogger(__name__)


def tick_handlers(pool: asyncpg.Pool, settings: NotifierSettings) -> dict[str, Handler]:
    """type -> handler for schedule.tick; acts on the tick's `scheduled_for`, not the clock."""
    tz, hour = settings.digest_timezone, settings.digest_hour

    async def ticks(conn: asyncpg.Connection, events: list[Event]) -> None:
        # A tick after DIGEST_HOUR owes that day's send time: after downtime the first tick
        # back still writes the day's digests; the (staff, send time) key keeps them to one.
        owed = {latest_send_time(e.data.scheduled_for, tz=tz, hour=hour) for e in events}
        for send_time in sorted(t for t in owed if t is not None):
            frequencies = due_frequencies(send_time, tz=tz)
            if not frequencies:
                continue
            written = await write_digests(conn, origin=settings.notifier_app_id,
                                          send_time=send_time, frequencies=frequencies,
                                          mail_domain=settings.mail_domain)
            if written:
                DIGESTS_WRITTEN.inc(written)
                log.info("digests written", extra={"send_time": send_time.isoformat(),
                                                   "digests": written,
                                                   "event_ids": [e.id for e in events]})

    return {"schedule.tick": idempotent(pool, "notifier.ticks", ticks)}
