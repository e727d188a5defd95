"""Bytes <-> typed events, with the two ways a message can fail told apart.

`InvalidEvent`: not JSON, envelope incomplete, or data of the wrong shape -> dead-letter topic.
`UnknownEventType`: a well-formed envelope of a type this code does not know -> skipped, counted.
"""

import json
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from shared.events.envelope import CloudEvent, new_event
from shared.events.registry import EVENT_TYPES


class InvalidEvent(ValueError):
    """A message that can never be handled as it is."""


class UnknownEventType(LookupError):
    """A valid envelope whose type is not in the registry."""

    def __init__(self, envelope: CloudEvent):
        super().__init__(f"unknown event type {envelope.type!r}")
        self.envelope = envelope


@dataclass(frozen=True, slots=True)
class Event:
    """An envelope together with its data parsed into the model of its type."""

    envelope: CloudEvent
    data: Any

    @property
    def id(self) -> str:
        return self.envelope.id

    @property
    def type(self) -> str:
        return self.envelope.type


def _first_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err["loc"]) or "message"
    return f"{where}: {err['msg']}"


def decode(raw: bytes | str | None) -> Event:
    """Parse and validate one message; raise InvalidEvent or UnknownEventType."""
    if raw is None:
        raise InvalidEvent("empty message")
    try:
        doc = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidEvent(f"not JSON: {exc}") from None
    if not isinstance(doc, dict):
        raise InvalidEvent("not a JSON object")
    try:
        envelope = CloudEvent.model_validate(doc)
    except ValidationError as exc:
        raise InvalidEvent(f"envelope {_first_error(exc)}") from None
    event_type = EVENT_TYPES.get(envelope.type)
    if event_type is None:
        raise UnknownEventType(envelope)
    if event_type.requires_sequence and envelope.sequence is None:
        raise InvalidEvent(f"{envelope.type} needs a sequence")
    try:
        data = event_type.model.model_validate(envelope.data)
    except ValidationError as exc:
        raise InvalidEvent(f"data.{_first_error(exc)}") from None
    return Event(envelope=envelope, data=data)


def encode(
    type_: str,
    data: BaseModel,
    *,
    source: str,
    subject: str | None = None,
    sequence: int | None = None,
    event_id: str | None = None,
) -> CloudEvent:
    """Build an envelope for a registered type, checking the data model matches it."""
    expected = EVENT_TYPES[type_].model
    if not isinstance(data, expected):
        raise TypeError(f"{type_} carries {expected.__name__}, not {type(data).__name__}")
    return new_event(
        type_, source=source, subject=subject, data=data, sequence=sequence, event_id=event_id
    )
