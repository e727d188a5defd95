"""Admins reminding the bookkeepers of a client of its outstanding tasks (PRODUCT 6)."""

import uuid
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from services.clients.db.reminders import Reminder, SentReminder
from services.clients.db.unit_of_work import ClientsUnitOfWork
from services.clients.domain import announcements
from services.clients.domain.errors import Conflict
from services.clients.domain.reminders import fingerprint, normalised_tasks, status
from services.clients.domain.visibility import Caller
from services.clients.service_layer.visibility import require_admin, visible_link
from shared.events.schemas import Task


@dataclass(frozen=True, slots=True)
class ReminderSent:
    reminder_id: UUID
    recipient_count: int


@dataclass(frozen=True, slots=True)
class Money:
    amount_minor: int
    currency: str


@dataclass(frozen=True, slots=True)
class FiguresAtRequest:
    missing_receipts: int
    ready_for_export: int
    wallet_balance: Money | None


@dataclass(frozen=True, slots=True)
class ReminderView:
    reminder_id: UUID
    client_id: UUID
    admin_id: UUID
    admin_name: str
    tasks: list[Task]
    comment: str | None
    recipient_ids: list[UUID]
    recipient_count: int
    created_at: datetime
    status: str
    resolved_at: datetime | None
    figures_at_request: FiguresAtRequest


async def send_reminder(uow: ClientsUnitOfWork, caller: Caller, client_id: UUID, *,
                        tasks: list[Task], comment: str | None,
                        idempotency_key: str | None) -> ReminderSent:
    """Record a reminder to every bookkeeper assigned now and announce it (once per key)."""
    require_admin(caller, "send reminders")
    tasks = normalised_tasks(tasks)
    comment = comment or None
    request_print = fingerprint(client_id, tasks, comment)
    async with uow:
        if idempotency_key is not None:
            done = await uow.reminders.by_key(caller.id, idempotency_key)
            if done is not None:
                return _repeat(done, request_print)
        await visible_link(uow.links, caller, client_id, active_only=True)
        recipients = await uow.links.bookkeepers_assigned(caller.firm_id, client_id)
        if not recipients:
            raise Conflict("no bookkeeper is assigned to this client, so there is nobody to"
                           " remind; assign one first", code="no_bookkeeper_assigned")
        reminder_id = uuid.uuid4()
        inserted = await uow.reminders.insert(
            reminder_id=reminder_id, firm_id=caller.firm_id, client_id=client_id,
            admin_id=caller.id, tasks=tasks, comment=comment, recipient_ids=recipients,
            idempotency_key=idempotency_key, fingerprint=request_print)
        if not inserted:  # a concurrent request with the same key won the race
            return _repeat(await uow.reminders.by_key(caller.id, idempotency_key),
                           request_print)
        await uow.announce(announcements.reminder_requested(
            reminder_id=reminder_id, client_id=client_id, firm_id=caller.firm_id,
            admin_id=caller.id, tasks=tasks, comment=comment, recipient_ids=recipients))
        await uow.audit.add(firm_id=caller.firm_id, staff_id=caller.id,
                            action="reminder.requested", client_id=client_id,
                            details={"reminder_id": str(reminder_id), "tasks": tasks})
    return ReminderSent(reminder_id, len(recipients))


def _repeat(done: Reminder, request_print: str) -> ReminderSent:
    if done.request_fingerprint != request_print:
        raise Conflict("this Idempotency-Key was used for a different reminder",
                       code="idempotency_key_reused")
    return ReminderSent(done.id, len(done.recipient_ids))


async def list_reminders(uow: ClientsUnitOfWork, caller: Caller,
                         client_id: UUID) -> list[ReminderView]:
    """The client's reminders, newest first, each open or resolved."""
    require_admin(caller, "see reminders")
    async with uow:
        await visible_link(uow.links, caller, client_id)
        sent = await uow.reminders.of_client(caller.firm_id, client_id)
    return [_view(r) for r in sent]


def _view(r: SentReminder) -> ReminderView:
    wallet = None if r.wallet_currency_at_request is None else Money(
        r.wallet_balance_at_request, r.wallet_currency_at_request)
    return ReminderView(
        reminder_id=r.id, client_id=r.client_id, admin_id=r.admin_id, admin_name=r.admin_name,
        tasks=list(r.tasks), comment=r.comment, recipient_ids=list(r.recipient_ids),
        recipient_count=len(r.recipient_ids), created_at=r.created_at,
        status=status(r.resolved), resolved_at=r.resolved_at,
        figures_at_request=FiguresAtRequest(r.missing_receipts_at_request,
                                            r.ready_for_export_at_request, wallet))
