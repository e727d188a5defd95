"""`reminder.requested` -> one reminder email per recipient in the email outbox."""

import logging

from services.notifier.db.unit_of_work import NotifierUnitOfWork
from services.notifier.metrics import REMINDER_EMAILS_WRITTEN
from shared.events import Event

log = logging.getLogger(__name__)


async def reminder_requested(uow: NotifierUnitOfWork, event: Event, *, origin: str,
                             mail_domain: str) -> int:
    """Write the reminder's emails for the sender of `origin`; return how many are new."""
    async with uow:
        written = await uow.reminders.write(event, origin=origin, mail_domain=mail_domain)
        uow.after_commit(lambda: _written(event, written))
    return written


def _written(event: Event, emails: int) -> None:
    REMINDER_EMAILS_WRITTEN.inc(emails)
    log.info("reminder emails written", extra={"event_id": event.id, "emails": emails,
                                               "reminder_id": str(event.data.reminder_id)})
