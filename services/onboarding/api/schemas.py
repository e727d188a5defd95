"""Request and response bodies of the onboarding routes."""

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from services.onboarding.domain.cases import Case, Transition
from shared.events.schemas import CaseState
from shared.http.text import MULTI_LINE, SINGLE_LINE

# Deliberately loose: the provider checks the address; we only refuse obvious garbage.
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


class OpenCaseRequest(BaseModel):
    """Body of POST /internal/v1/cases; `case_id` is optional (the caller may pick it)."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    client_id: UUID
    firm_id: UUID
    contact_email: Annotated[str, Field(min_length=3, max_length=320, pattern=EMAIL_PATTERN),
                             SINGLE_LINE]
    case_id: UUID | None = None


class WebhookBody(BaseModel):
    """Body of POST /webhooks/verification, parsed only after its signature was checked."""

    model_config = ConfigDict(extra="ignore")

    case_id: UUID
    event: Literal["submitted", "approved", "rejected", "expired"]
    # A provider's reason may span lines; NUL and other controls are refused all the same.
    reason: Annotated[str | None, Field(max_length=2000), MULTI_LINE] = None


class CaseSummary(BaseModel):
    case_id: UUID
    client_id: UUID
    firm_id: UUID
    state: CaseState

    @classmethod
    def of(cls, case: Case) -> "CaseSummary":
        return cls(case_id=case.id, client_id=case.client_id, firm_id=case.firm_id,
                   state=case.state)


class HistoryEntry(BaseModel):
    version: int
    from_state: CaseState | None
    to_state: CaseState
    reason: str | None
    source: Literal["internal", "webhook", "expiry"]
    event_id: str
    webhook_sha256: str | None
    occurred_at: datetime

    @classmethod
    def of(cls, t: Transition) -> "HistoryEntry":
        return cls(version=t.version, from_state=t.from_state, to_state=t.to_state,
                   reason=t.reason, source=t.source, event_id=t.event_id,
                   webhook_sha256=t.webhook_sha256, occurred_at=t.occurred_at)


class CaseDetail(CaseSummary):
    contact_email: str
    created_at: datetime
    updated_at: datetime
    history: list[HistoryEntry]

    @classmethod
    def of_history(cls, case: Case, history: list[Transition]) -> "CaseDetail":
        return cls(case_id=case.id, client_id=case.client_id, firm_id=case.firm_id,
                   state=case.state, contact_email=case.contact_email,
                   created_at=case.created_at, updated_at=case.updated_at,
                   history=[HistoryEntry.of(t) for t in history])


class WebhookOutcome(BaseModel):
    case_id: UUID
    state: CaseState
    # False for a replay: the case already was where this webhook would take it.
    applied: bool
