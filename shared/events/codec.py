"""Bytes <-> typed events, with the two ways a message can fail told apart.

`InvalidEvent`: not UTF-8 JSON within the limits of `guard`, text the database cannot store,
envelope incomplete, or data of the wrong shape or out of range -> dead-letter topic.
`UnknownEventType`: a well-formed envelope of a type this code does not know -> skipped, counted.
`decode` raises nothing else, whatever the bytes.
"""

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from shared.events import guard
from shared.events.envelope import CloudEvent, new_event
from shared.events.registry import EVENT_TYPES


class InvalidEvent(ValueError):
    """A message that can never be handled as it is."""


class UnapplicableEvent(Exception):
    """A valid event that its consumer can never apply (it names a firm that does not
    exist, say): the message's fault, dead-lettered like an invalid one, not a bug."""


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
    """Parse and validate one message; raise InvalidEvent or UnknownEventType, nothing else."""
    try:
        return _decode(raw)
    except (InvalidEvent, UnknownEventType):
        raise
    except Exception as exc:  # noqa: BLE001 - whatever slipped past the checks is the message's
        raise InvalidEvent(f"undecodable: {exc!r}") from None


def _decode(raw: bytes | str | None) -> Event:
    if raw is None:
        raise InvalidEvent("empty message")
    if isinstance(raw, str):
        raw = raw.encode("utf-8", "surrogatepass")
    try:
        doc = guard.parse(raw)
    except guard.Refused as exc:
        raise InvalidEvent(str(exc)) from None
    except ValueError as exc:
        raise InvalidEvent(f"not JSON: {exc}") from None
    if not isinstance(doc, dict):
        raise InvalidEvent("not a JSON object")
    try:
        guard.check_text(doc)
    except guard.Refused as exc:
        raise InvalidEvent(str(exc)) from None
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
