"""Events as the clients service and the platform publish them, for the notifier's tests.

The notifier must not depend on the clients service's code: these build the contract events
(shared.events models and encode) directly.
"""

import uuid
from datetime import UTC, datetime
from uuid import UUID

from shared.events import EVENT_TYPES, CloudEvent, Event, decode, encode
from shared.events import schemas as s

CLIENTS_SOURCE = "/partner/clients"
PLATFORM_SOURCE = "/platform/expenses"


def _at(time: datetime | None) -> datetime:
    return time or datetime.now(UTC)


def staff_upserted(*, staff_id: UUID, firm_id: UUID, email: str, name: str, role: str,
                   locale: str = "en", active: bool = True,
                   time: datetime | None = None) -> CloudEvent:
    data = s.StaffUpserted(staff_id=staff_id, firm_id=firm_id, email=email, name=name,
                           role=role, locale=locale, active=active)
    event = encode("staff.upserted", data, source=CLIENTS_SOURCE, subject=str(staff_id))
    return event.model_copy(update={"time": _at(time)})


def client_upserted(*, client_id: UUID, firm_id: UUID, name: str, link_state: str = "active",
                    time: datetime | None = None) -> CloudEvent:
    data = s.ClientUpserted(client_id=client_id, firm_id=firm_id, name=name,
                            link_state=link_state)
    event = encode("client.upserted", data, source=CLIENTS_SOURCE, subject=str(client_id))
    return event.model_copy(update={"time": _at(time)})


def assignees_changed(*, client_id: UUID, firm_id: UUID, staff_ids: list[UUID],
                      time: datetime | None = None) -> CloudEvent:
    data = s.ClientAssigneesChanged(client_id=client_id, firm_id=firm_id,
                                    staff_ids=tuple(staff_ids))
    event = encode("client.assignees_changed", data, source=CLIENTS_SOURCE,
                   subject=str(client_id))
    return event.model_copy(update={"time": _at(time)})


def preference_changed(*, staff_id: UUID, client_id: UUID, changed_at: datetime,
                       email: bool = True, frequency: str = "weekly",
                       first_digest_at: datetime | None = None) -> CloudEvent:
    data = s.NotificationPreferenceChanged(client_id=client_id, staff_id=staff_id, email=email,
                                           frequency=frequency, changed_at=changed_at,
                                           first_digest_at=first_digest_at)
    return encode("notification.preference_changed", data, source=CLIENTS_SOURCE,
                  subject=str(client_id))


def reminder_requested(*, client_id: UUID, firm_id: UUID, admin_id: UUID, tasks: list[str],
                       recipient_ids: list[UUID], comment: str | None = None,
                       reminder_id: UUID | None = None) -> CloudEvent:
    data = s.ReminderRequested(reminder_id=reminder_id or uuid.uuid4(), client_id=client_id,
                               firm_id=firm_id, admin_id=admin_id, tasks=tuple(tasks),
                               comment=comment, recipient_ids=tuple(recipient_ids))
    return encode("reminder.requested", data, source=CLIENTS_SOURCE, subject=str(client_id))


def expense_created(*, client_id: UUID, expense_id: str, receipt_required: bool = True,
                    has_receipt: bool = False, amount_minor: int = 1250) -> CloudEvent:
    data = s.ExpenseCreated(expense_id=expense_id, client_id=client_id,
                            amount_minor=amount_minor, currency="EUR",
                            receipt_required=receipt_required, has_receipt=has_receipt,
                            occurred_at=datetime.now(UTC))
    return encode("expense.created", data, source=PLATFORM_SOURCE, subject=str(client_id))


def expense_flag(type_: str, *, client_id: UUID, expense_id: str) -> CloudEvent:
    """One of the expense events after creation (`expense.ready_for_export`, ...)."""
    model = EVENT_TYPES[type_].model
    return encode(type_, model(expense_id=expense_id, client_id=client_id),
                  source=PLATFORM_SOURCE, subject=str(client_id))


def wallet_changed(*, client_id: UUID, balance_minor: int, sequence: int,
                   currency: str = "EUR") -> CloudEvent:
    data = s.WalletBalanceChanged(client_id=client_id, balance_minor=balance_minor,
                                  currency=currency)
    return encode("wallet.balance_changed", data, source="/platform/wallets",
                  subject=str(client_id), sequence=sequence)


def tick(scheduled_for: datetime, *, event_id: str | None = None) -> CloudEvent:
    """A hand-made schedule.tick: the notifier acts as if it were `scheduled_for`."""
    return encode("schedule.tick", s.ScheduleTick(scheduled_for=scheduled_for),
                  source="/tests", subject="schedule", event_id=event_id)


def as_events(*events: CloudEvent) -> list[Event]:
    """The events as a consumer sees them (through the wire format)."""
    return [decode(e.to_bytes()) for e in events]
