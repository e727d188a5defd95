"""Event contracts: the CloudEvents envelope, one model per type, and decoding."""

from shared.events.codec import (Event, InvalidEvent, UnapplicableEvent, UnknownEventType,
                                 decode, encode)
from shared.events.envelope import CloudEvent, new_event
from shared.events.registry import EVENT_TYPES, EventType

__all__ = [
    "EVENT_TYPES",
    "CloudEvent",
    "Event",
    "EventType",
    "InvalidEvent",
    "UnapplicableEvent",
    "UnknownEventType",
    "decode",
    "encode",
    "new_event",
]
