"""Which event types exist, on which topic, with which data model."""

from dataclasses import dataclass

from pydantic import BaseModel

from shared import topics
from shared.events import schemas as s


@dataclass(frozen=True)
class EventType:
    name: str
    topic: str
    model: type[BaseModel]
    requires_sequence: bool = False


EVENT_TYPES: dict[str, EventType] = {
    t.name: t
    for t in (
        EventType("expense.created", topics.PLATFORM_EXPENSES, s.ExpenseCreated),
        EventType("expense.receipt_attached", topics.PLATFORM_EXPENSES, s.ExpenseReceiptAttached),
        EventType("expense.receipt_waived", topics.PLATFORM_EXPENSES, s.ExpenseReceiptWaived),
        EventType("expense.ready_for_export", topics.PLATFORM_EXPENSES, s.ExpenseReadyForExport),
        EventType("expense.exported", topics.PLATFORM_EXPENSES, s.ExpenseExported),
        EventType("expense.deleted", topics.PLATFORM_EXPENSES, s.ExpenseDeleted),
        EventType(
            "wallet.balance_changed",
            topics.PLATFORM_WALLETS,
            s.WalletBalanceChanged,
            requires_sequence=True,
        ),
        EventType(
            "company.bookkeeper_invited", topics.PLATFORM_COMPANIES, s.CompanyBookkeeperInvited
        ),
        EventType(
            "verification.state_changed",
            topics.ONBOARDING_VERIFICATION,
            s.VerificationStateChanged,
        ),
        EventType("staff.upserted", topics.PARTNER_CLIENTS, s.StaffUpserted),
        EventType("client.upserted", topics.PARTNER_CLIENTS, s.ClientUpserted),
        EventType("client.assignees_changed", topics.PARTNER_CLIENTS, s.ClientAssigneesChanged),
        EventType(
            "notification.preference_changed",
            topics.PARTNER_CLIENTS,
            s.NotificationPreferenceChanged,
        ),
        EventType("reminder.requested", topics.PARTNER_CLIENTS, s.ReminderRequested),
        EventType("client.accessed", topics.PARTNER_CLIENTS, s.ClientAccessed),
        EventType("schedule.tick", topics.NOTIFIER_TICKS, s.ScheduleTick),
        EventType("email.sent", topics.NOTIFIER_EMAILS, s.EmailSent),
        EventType("email.failed", topics.NOTIFIER_EMAILS, s.EmailFailed),
    )
}
