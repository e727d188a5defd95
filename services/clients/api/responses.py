"""Response bodies of the clients API, as /docs shows them.

Read from attributes, so a use case may return its frozen dataclasses (or dicts). A field
missing here would be missing from the JSON: each model lists every field of its body. The
list and the single client are JSON text finished by the database; their models only
document it.
"""

from datetime import datetime
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from services.clients.api.schemas import Tab
from shared.events.schemas import Frequency, LinkState, Locale, Role, Task


class Body(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class FirmOut(Body):
    id: UUID
    name: str
    created_at: datetime


class StaffOut(Body):
    id: UUID
    firm_id: UUID
    email: str
    name: str
    role: Role
    locale: Locale
    active: bool


class CompanyOut(Body):
    id: UUID
    name: str
    registration_number: str
    country: str


class LinkOut(Body):
    firm_id: UUID
    client_id: UUID
    state: LinkState
    name: str


class MeOut(Body):
    id: UUID
    firm_id: UUID
    name: str
    email: str
    role: Role
    locale: Locale


class StaffMember(Body):
    """A staff member as an assignee (or one who can be assigned)."""

    id: UUID
    name: str
    role: Role


class StaffListOut(Body):
    items: list[StaffMember]


class TabOut(Body):
    tab: Tab
    count: int


class Money(Body):
    amount_minor: int
    currency: str


class ItemNotifications(Body):
    """The viewer's email setting for the client."""

    email: bool
    frequency: Frequency
    first_digest_at: datetime | None


class ClientOut(Body):
    """A client as the list and the single-client route show it to the viewer."""

    id: UUID
    name: str
    registration_number: str
    country: str
    link_state: LinkState
    assignees: list[StaffMember]
    missing_receipts: int
    ready_for_export: int
    wallet_balance: Money | None
    tasks_updated_at: datetime | None
    tab: Tab
    notifications: ItemNotifications


class ClientPageOut(Body):
    items: list[ClientOut]
    next_cursor: str | None


class InvitedOut(Body):
    client_id: UUID
    case_id: UUID


class InvitationAnsweredOut(Body):
    client_id: UUID
    link_state: LinkState


class AssigneesOut(Body):
    client_id: UUID
    staff_ids: list[UUID]
    assignees: list[StaffMember]


class NotificationOut(Body):
    client_id: UUID
    staff_id: UUID
    email: bool
    frequency: Frequency
    first_digest_at: datetime | None
    changed_at: datetime | None


class ReminderSentOut(Body):
    reminder_id: UUID
    recipient_count: int


class FiguresAtRequest(Body):
    missing_receipts: int
    ready_for_export: int
    wallet_balance: Money | None


class ReminderOut(Body):
    reminder_id: UUID
    client_id: UUID
    admin_id: UUID
    admin_name: str
    tasks: list[Task]
    comment: str | None
    recipient_ids: list[UUID]
    recipient_count: int
    created_at: datetime
    status: Literal["open", "resolved"]
    resolved_at: datetime | None
    figures_at_request: FiguresAtRequest


class RemindersOut(Body):
    items: list[ReminderOut]


class GrantOut(Body):
    grant_id: UUID
    url: str
    token: str
    expires_at: datetime


class UnsubscribedOut(Body):
    staff_id: UUID
    client_ids: list[UUID]
    turned_off: list[UUID]
