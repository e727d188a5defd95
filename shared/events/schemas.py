"""One frozen model per event type of the ARCHITECTURE topic table.

Contracts evolve by adding optional fields only; anything else is a new type or topic.
Unknown extra fields are ignored so that a producer may add fields before consumers know them.
Every integer is bounded by the column that stores it, and every instant must be one that
converts to UTC (what the database stores): a value out of range is the message's fault.
"""

from datetime import UTC, datetime
from typing import Annotated, Literal
from uuid import UUID

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field

BIGINT_MIN, BIGINT_MAX = -(2**63), 2**63 - 1
INT_MAX = 2**31 - 1
# Amounts and balances: PostgreSQL bigint.
Minor = Annotated[int, Field(ge=BIGINT_MIN, le=BIGINT_MAX)]
# Ids made by the platform (expense ids) are keys of a btree index; keep them short.
ExternalId = Annotated[str, Field(min_length=1, max_length=200)]


def _in_utc_range(value: datetime) -> datetime:
    try:
        value.astimezone(UTC)
    except OverflowError:
        raise ValueError("instant out of range in UTC") from None
    return value


Instant = Annotated[AwareDatetime, AfterValidator(_in_utc_range)]

Currency = Field(min_length=3, max_length=3, pattern=r"^[A-Z]{3}$")
Task = Literal["missing_receipts", "ready_for_export", "wallet_balance"]
Frequency = Literal["daily", "weekly", "monthly"]
Role = Literal["admin", "bookkeeper"]
Locale = Literal["en", "nl"]
LinkState = Literal[
    "invitation_pending", "onboarding", "active", "declined", "rejected", "disconnected"
]
CaseState = Literal["invited", "in_review", "verified", "rejected", "expired"]


class EventData(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")


# platform.expenses.v1
class ExpenseCreated(EventData):
    expense_id: ExternalId
    client_id: UUID
    amount_minor: Minor
    currency: str = Currency
    receipt_required: bool
    has_receipt: bool
    occurred_at: Instant


class ExpenseRef(EventData):
    """The data of every expense event after `expense.created`."""

    expense_id: ExternalId
    client_id: UUID


class ExpenseReceiptAttached(ExpenseRef): ...


class ExpenseReceiptWaived(ExpenseRef): ...


class ExpenseReadyForExport(ExpenseRef): ...


class ExpenseExported(ExpenseRef): ...


class ExpenseDeleted(ExpenseRef): ...


# platform.wallets.v1
class WalletBalanceChanged(EventData):
    client_id: UUID
    balance_minor: Minor
    currency: str = Currency


# platform.companies.v1
class CompanyBookkeeperInvited(EventData):
    client_id: UUID
    firm_id: UUID
    client_name: str = Field(min_length=1, max_length=300)
    registration_number: str = Field(max_length=64)
    country: str = Field(min_length=2, max_length=2)


# onboarding.verification.v1
class VerificationStateChanged(EventData):
    client_id: UUID
    firm_id: UUID
    case_id: UUID
    from_state: CaseState | None
    to_state: CaseState
    reason: str | None = None


# partner.clients.v1
class StaffUpserted(EventData):
    staff_id: UUID
    firm_id: UUID
    email: str
    name: str
    role: Role
    locale: Locale
    active: bool


class ClientUpserted(EventData):
    client_id: UUID
    firm_id: UUID
    name: str
    link_state: LinkState


class ClientAssigneesChanged(EventData):
    client_id: UUID
    firm_id: UUID
    staff_ids: tuple[UUID, ...]


class NotificationPreferenceChanged(EventData):
    client_id: UUID
    staff_id: UUID
    email: bool
    frequency: Frequency
    changed_at: Instant
    # Optional addition: when the first digest is due (set when email was turned on).
    first_digest_at: Instant | None = None


class ReminderRequested(EventData):
    reminder_id: UUID
    client_id: UUID
    firm_id: UUID
    admin_id: UUID
    tasks: tuple[Task, ...] = Field(min_length=1)
    comment: str | None = Field(default=None, max_length=1000)
    recipient_ids: tuple[UUID, ...]


class ClientAccessed(EventData):
    client_id: UUID
    staff_id: UUID
    grant_id: UUID
    expires_at: Instant


# notifier.ticks.v1
class ScheduleTick(EventData):
    scheduled_for: Instant


# notifier.emails.v1
class EmailSent(EventData):
    email_id: UUID
    kind: Literal["digest", "reminder"]
    staff_id: UUID
    scheduled_for: Instant | None = None
    message_id: str


class EmailFailed(EventData):
    email_id: UUID
    kind: Literal["digest", "reminder"]
    staff_id: UUID
    error: str
    attempts: int = Field(ge=0, le=INT_MAX)
