"""`schedule.tick` -> the digests its day owes, written once per (staff, send time)."""

import logging
from collections.abc import Sequence
from datetime import datetime

from services.notifier.db.unit_of_work import NotifierUnitOfWork
from services.notifier.domain.schedule import due_frequencies
from services.notifier.metrics import DIGESTS_WRITTEN
from shared.digest_schedule import latest_send_time
from shared.events import Event

log = logging.getLogger(__name__)


async def ticks_arrived(uow: NotifierUnitOfWork, ticks: Sequence[Event], *, tz: str, hour: int,
                        origin: str, mail_domain: str) -> int:
    """Write the digests the ticks' `scheduled_for` owe (never the clock's); return how many
    are new."""
    # A tick after DIGEST_HOUR owes that day's send time: after downtime the first tick
    # back still writes the day's digests; the (staff, send time) key keeps them to one.
    owed = {latest_send_time(t.data.scheduled_for, tz=tz, hour=hour) for t in ticks}
    total = 0
    async with uow:
        for send_time in sorted(t for t in owed if t is not None):
            frequencies = due_frequencies(send_time, tz=tz)
            if not frequencies:
                continue
            written = await uow.digests.write(origin=origin, send_time=send_time,
                                              frequencies=frequencies, mail_domain=mail_domain)
            if written:
                uow.after_commit(lambda t=send_time, n=written: _written(t, n, ticks))
            total += written
    return total


def _written(send_time: datetime, digests: int, ticks: Sequence[Event]) -> None:
    DIGESTS_WRITTEN.inc(digests)
    log.info("digests written", extra={"send_time": send_time.isoformat(), "digests": digests,
                                       "event_ids": [t.id for t in ticks]})
