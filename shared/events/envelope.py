"""The CloudEvents 1.0 envelope (structured JSON mode) every message travels in."""

import uuid
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from shared.events.schemas import BIGINT_MAX, Instant


class CloudEvent(BaseModel):
    """One message on one topic; `data` is validated against the model of its `type`."""

    model_config = ConfigDict(frozen=True, extra="allow")

    specversion: Literal["1.0"]
    id: str = Field(min_length=1, max_length=200)
    source: str = Field(min_length=1)
    type: str = Field(min_length=1, max_length=200)
    time: Instant
    subject: str | None = None
    datacontenttype: str = "application/json"
    # Stored as bigint (wallet_sequence); a sequence counts up from 0.
    sequence: int | None = Field(default=None, ge=0, le=BIGINT_MAX)
    data: dict[str, Any]

    @property
    def key(self) -> bytes | None:
        """Kafka message key: the subject keeps one client's events on one partition."""
        return self.subject.encode() if self.subject else None

    def to_bytes(self) -> bytes:
        return self.model_dump_json(exclude_none=True).encode()


def new_event(
    type_: str,
    *,
    source: str,
    subject: str | None,
    data: BaseModel | dict[str, Any],
    sequence: int | None = None,
    event_id: str | None = None,
    time: datetime | None = None,
) -> CloudEvent:
    """Build an envelope around `data` (a model of the registry, or a plain dict)."""
    payload = data.model_dump(mode="json") if isinstance(data, BaseModel) else data
    return CloudEvent(
        specversion="1.0",
        id=event_id or str(uuid.uuid4()),
        source=source,
        type=type_,
        time=time or datetime.now(UTC),
        subject=subject,
        sequence=sequence,
        data=payload,
    )
