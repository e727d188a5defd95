"""Handler of notifier.ticks.v1: a tick writes the digests its day owes, once."""

from functools import partial

import asyncpg

from services.notifier.consumers.idempotent import idempotent
from services.notifier.db.unit_of_work import NotifierUnitOfWork
from services.notifier.service_layer.digests import ticks_arrived
from services.notifier.settings import NotifierSettings
from shared.kafka.consumer import Handler


def tick_handlers(pool: asyncpg.Pool, settings: NotifierSettings) -> dict[str, Handler]:
    """type -> handler for schedule.tick; acts on the tick's `scheduled_for`, not the clock."""
    write = partial(ticks_arrived, tz=settings.digest_timezone, hour=settings.digest_hour,
                    origin=settings.notifier_app_id, mail_domain=settings.mail_domain)
    return {"schedule.tick": idempotent(partial(NotifierUnitOfWork, pool), "notifier.ticks",
                                        write)}
