"""Handlers of partner.clients.v1: staff, clients, assignees, settings and reminders."""

import logging

import asyncpg

from services.notifier.consumers.idempotent import idempotent
from services.notifier.db import directory
from services.notifier.db.reminders import write_reminder
from services.notifier.domain.last_write import latest_per_key
from services.notifier.domain.preferences import fold_preference_events, with_stored_starts
from services.notifier.metrics import REMINDER_EMAILS_WRITTEN
from services.notifier.settings import NotifierSettings
from shared.events import Event
from shared.kafka.consumer import Handler

log = logging.getLogger(__name__)


def _link(event: Event) -> tuple:
    """The (firm, client) link an event is about: one client may be linked to several firms."""
    return event.data.firm_id, event.data.client_id


def partner_handlers(pool: asyncpg.Pool, settings: NotifierSettings) -> dict[str, Handler]:
    """type -> handler for the partner events the notifier acts on."""

    async def staff(conn: asyncpg.Connection, events: list[Event]) -> None:
        await directory.upsert_staff(conn, latest_per_key(events, lambda e: e.data.staff_id))

    async def clients(conn: asyncpg.Connection, events: list[Event]) -> None:
        await directory.upsert_clients(conn, latest_per_key(events, _link))

    async def assignees(conn: asyncpg.Connection, events: list[Event]) -> None:
        await directory.replace_assignees(conn, latest_per_key(events, _link))

    async def preferences(conn: asyncpg.Connection, events: list[Event]) -> None:
        changes = fold_preference_events(events, tz=settings.digest_timezone,
                                         hour=settings.digest_hour)
        kept = [c for c in changes if c.keeps_stored_start]
        if kept:
            changes = with_stored_starts(changes, await directory.stored_email_starts(conn, kept))
        await directory.upsert_preferences(conn, changes)

    async def reminders(conn: asyncpg.Connection, events: list[Event]) -> None:
        for event in events:
            written = await write_reminder(conn, event, origin=settings.notifier_app_id,
                                           mail_domain=settings.mail_domain)
            REMINDER_EMAILS_WRITTEN.inc(written)
            log.info("reminder emails written", extra={"event_id": event.id, "emails": written,
                                                       "reminder_id": str(event.data.reminder_id)})

    return {
        "staff.upserted": idempotent(pool, "notifier.staff", staff),
        "client.upserted": idempotent(pool, "notifier.clients", clients),
        "client.assignees_changed": idempotent(pool, "notifier.assignees", assignees),
        "notification.preference_changed": idempotent(pool, "notifier.preferences", preferences),
        "reminder.requested": idempotent(pool, "notifier.reminders", reminders),
    }
