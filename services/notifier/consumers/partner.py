"""Handlers of partner.clients.v1: staff, clients, assignees, settings and reminders."""

from functools import partial

import asyncpg

from services.notifier.consumers.idempotent import idempotent
from services.notifier.db.unit_of_work import NotifierUnitOfWork
from services.notifier.service_layer import directory
from services.notifier.service_layer.reminders import reminder_requested
from services.notifier.settings import NotifierSettings
from shared.events import Event
from shared.kafka.consumer import Handler


def partner_handlers(pool: asyncpg.Pool, settings: NotifierSettings) -> dict[str, Handler]:
    """type -> handler for the partner events the notifier acts on."""
    units = partial(NotifierUnitOfWork, pool)
    preferences = partial(directory.preferences_changed, tz=settings.digest_timezone,
                          hour=settings.digest_hour)

    async def reminders(uow: NotifierUnitOfWork, events: list[Event]) -> None:
        for event in events:
            await reminder_requested(uow, event, origin=settings.notifier_app_id,
                                     mail_domain=settings.mail_domain)

    return {
        "staff.upserted": idempotent(units, "notifier.staff", directory.staff_changed),
        "client.upserted": idempotent(units, "notifier.clients", directory.clients_changed),
        "client.assignees_changed": idempotent(units, "notifier.assignees",
                                               directory.assignees_changed),
        "notification.preference_changed": idempotent(units, "notifier.preferences",
                                                      preferences),
        "reminder.requested": idempotent(units, "notifier.reminders", reminders),
    }
