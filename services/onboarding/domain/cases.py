"""A verification case and the record of one of its moves, as plain data."""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from shared.events.schemas import CaseState


@dataclass(frozen=True, slots=True)
class Case:
    """One client's verification with one firm."""

    id: UUID
    client_id: UUID
    firm_id: UUID
    contact_email: str
    state: CaseState
    version: int
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class Transition:
    """One state the case entered; the opening has `from_state` None."""

    version: int
    from_state: CaseState | None
    to_state: CaseState
    reason: str | None
    source: str
    webhook_sha256: str | None
    event_id: str
    occurred_at: datetime


class CaseNotFound(LookupError):
    """No case has this id."""

    def __init__(self, case_id: UUID):
        self.case_id = case_id
        super().__init__(f"no verification case {case_id}")


class CaseIdTaken(Exception):
    """The case id asked for already belongs to the case of another client or firm."""

    def __init__(self, case_id: UUID):
        self.case_id = case_id
        super().__init__(f"case id {case_id} is already used by another client or firm")
