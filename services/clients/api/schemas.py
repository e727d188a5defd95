"""Request bodies and query parameters of the clients API (responses: responses.py)."""

from typing import Annotated, Literal
from uuid import UUID

from pydantic import AfterValidator, BaseModel, Field, StrictBool, StringConstraints

from services.clients.domain.links import DirectLinkState
from services.clients.domain.reminders import MAX_COMMENT
from services.clients.domain.search import MAX_QUERY_LENGTH
from shared.events.schemas import Frequency, Locale, Role, Task
from shared.http.text import MULTI_LINE, SINGLE_LINE

# Every text field ends with SINGLE_LINE or MULTI_LINE: no NUL, control characters or lone
# surrogates reach PostgreSQL (shared/http/text.py).
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300),
                 SINGLE_LINE]
PersonName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                              max_length=200), SINGLE_LINE]
Email = Annotated[str, StringConstraints(strip_whitespace=True, max_length=254,
                                         pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$"), SINGLE_LINE]
Country = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z]{2}$"),
                    AfterValidator(str.upper), SINGLE_LINE]
RegistrationNumber = Annotated[str, StringConstraints(strip_whitespace=True, max_length=64),
                               SINGLE_LINE]
Tab = Literal["invitations", "onboarding", "my", "all"]


class FirmIn(BaseModel):
    name: Name


class StaffIn(BaseModel):
    email: Email
    name: PersonName
    role: Role
    locale: Locale = "en"


class StaffChange(BaseModel):
    name: PersonName | None = None
    role: Role | None = None
    locale: Locale | None = None
    active: StrictBool | None = None


class ClientIn(BaseModel):
    name: Name
    registration_number: RegistrationNumber = ""
    country: Country
    # Optional: the platform's own company id, so its events can name this client.
    id: UUID | None = None


class LinkIn(BaseModel):
    client_id: UUID
    state: DirectLinkState


class InviteIn(BaseModel):
    name: Name
    registration_number: Annotated[RegistrationNumber, Field(min_length=1)]
    country: Country
    contact_email: Email


class AssigneesIn(BaseModel):
    staff_ids: list[UUID] = Field(max_length=200)


class NotificationIn(BaseModel):
    email: StrictBool
    frequency: Frequency | None = None


class ReminderIn(BaseModel):
    tasks: list[Task] = Field(min_length=1, max_length=3)
    comment: Annotated[str | None, StringConstraints(max_length=MAX_COMMENT), MULTI_LINE] = None


class ListParams(BaseModel):
    """The query string of GET /v1/clients (validated by hand on the hot path, see clients.py)."""

    tab: Tab | None = None
    q: Annotated[str | None, Field(max_length=MAX_QUERY_LENGTH), SINGLE_LINE] = None
    missing_receipts: bool = False
    assignee: UUID | None = None
    sort: Literal["name", "missing_receipts", "ready_for_export"] = "name"
    order: Literal["asc", "desc"] | None = None
    limit: Annotated[int | None, Field(ge=1, le=200)] = None
    cursor: Annotated[str | None, Field(max_length=1000), SINGLE_LINE] = None
