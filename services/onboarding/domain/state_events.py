"""The `verification.state_changed` event announcing one move of a case."""

from datetime import datetime
from uuid import UUID

from shared.events import CloudEvent, new_event
from shared.events.schemas import VerificationStateChanged

SOURCE = "/onboarding"
EVENT_TYPE = "verification.state_changed"


def state_changed_event(*, case_id: UUID, client_id: UUID, firm_id: UUID,
                        from_state: str | None, to_state: str, reason: str | None,
                        version: int, at: datetime) -> CloudEvent:
    """Envelope for one state change; subject (and Kafka key) is the client id."""
    data = VerificationStateChanged(client_id=client_id, firm_id=firm_id, case_id=case_id,
                                    from_state=from_state, to_state=to_state, reason=reason)
    payload = data.model_dump(mode="json")
    if reason is None:
        del payload["reason"]  # optional: left out, while from_state null stays (required)
    # `sequence` is the case's version (1 = opened), so a consumer can order the moves.
    return new_event(EVENT_TYPE, source=SOURCE, subject=str(client_id), data=payload,
                     sequence=version, time=at)
