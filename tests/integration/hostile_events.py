"""Hypothesis strategies for what a hostile or broken producer can put on a topic, and the
bookkeeping that checks every such message was accounted for."""

import json
import uuid
from datetime import UTC, datetime

from aiokafka import ConsumerRecord
from hypothesis import strategies as st

from shared.events import EVENT_TYPES
from shared.kafka.consumer import EventDispatcher, Handler


def _deep(levels: int) -> object:
    value: object = 1
    for _ in range(levels):
        value = [value]
    return value


NOW = "2024-05-06T10:00:00+00:00"
# Valid data per type, ids fresh per draw; hostile values are put into copies of these.
TEMPLATES = {
    "expense.created": lambda: {"expense_id": uuid.uuid4().hex, "client_id": str(uuid.uuid4()),
                                "amount_minor": 1250, "currency": "EUR",
                                "receipt_required": True, "has_receipt": False,
                                "occurred_at": NOW},
    **{t: (lambda: {"expense_id": uuid.uuid4().hex, "client_id": str(uuid.uuid4())})
       for t in ("expense.receipt_attached", "expense.receipt_waived",
                 "expense.ready_for_export", "expense.exported", "expense.deleted")},
    "wallet.balance_changed": lambda: {"client_id": str(uuid.uuid4()), "balance_minor": 10,
                                       "currency": "EUR"},
    "company.bookkeeper_invited": lambda: {"client_id": str(uuid.uuid4()),
                                           "firm_id": str(uuid.uuid4()), "client_name": "Co",
                                           "registration_number": "NL1", "country": "NL"},
    "verification.state_changed": lambda: {"client_id": str(uuid.uuid4()),
                                           "firm_id": str(uuid.uuid4()),
                                           "case_id": str(uuid.uuid4()),
                                           "from_state": "invited", "to_state": "in_review"},
    "staff.upserted": lambda: {"staff_id": str(uuid.uuid4()), "firm_id": str(uuid.uuid4()),
                               "email": "a@b.example", "name": "A", "role": "admin",
                               "locale": "en", "active": False},
    "client.upserted": lambda: {"client_id": str(uuid.uuid4()), "firm_id": str(uuid.uuid4()),
                                "name": "C", "link_state": "active"},
    "client.assignees_changed": lambda: {"client_id": str(uuid.uuid4()),
                                         "firm_id": str(uuid.uuid4()), "staff_ids": []},
    "notification.preference_changed": lambda: {"client_id": str(uuid.uuid4()),
                                                "staff_id": str(uuid.uuid4()), "email": False,
                                                "frequency": "weekly", "changed_at": NOW},
    "reminder.requested": lambda: {"reminder_id": str(uuid.uuid4()),
                                   "client_id": str(uuid.uuid4()),
                                   "firm_id": str(uuid.uuid4()), "admin_id": str(uuid.uuid4()),
                                   "tasks": ["missing_receipts"], "recipient_ids": []},
    "client.accessed": lambda: {"client_id": str(uuid.uuid4()), "staff_id": str(uuid.uuid4()),
                                "grant_id": str(uuid.uuid4()), "expires_at": NOW},
    # Before the digest hour: a tick that owes nothing (it must not write anyone's digests).
    "schedule.tick": lambda: {"scheduled_for": "2000-01-03T06:00:00+00:00"},
}

HOSTILE_VALUES = st.one_of(
    st.sampled_from([2**63, -(2**63) - 1, 2**64, 10**30, -1, 0, 2**31, "a\x00b", "\ud800",
                     "x\udfff", "teleported", "", "x" * 400, [], {}, True, 1.5, 1e308, None,
                     "9999-12-31T23:59:59-05:00", "0001-01-01T00:00:00+05:00",
                     _deep(40), {"a": _deep(35)}, "ß" * 2, "NL\x00"]),
    st.integers(), st.text(max_size=20),
)
ENVELOPE_FIELDS = ("id", "source", "type", "time", "subject", "sequence", "specversion")


def envelope(type_: str, data: dict, *, sequence: int | None = 1, event_id: str | None = None,
             subject: str | None = None) -> dict:
    doc = {"specversion": "1.0", "id": event_id or str(uuid.uuid4()), "source": "/hostile",
           "type": type_, "time": datetime.now(UTC).isoformat(), "data": data}
    if subject:
        doc["subject"] = subject
    if sequence is not None:
        doc["sequence"] = sequence
    return doc


@st.composite
def hostile_envelope(draw, types: list[str]) -> bytes:
    """A valid envelope of one of `types`, then one to three fields made hostile."""
    type_ = draw(st.sampled_from(types))
    doc = envelope(type_, TEMPLATES[type_]())
    for _ in range(draw(st.integers(1, 3))):
        if draw(st.booleans()):
            doc["data"][draw(st.sampled_from(sorted(doc["data"])))] = draw(HOSTILE_VALUES)
        elif draw(st.integers(0, 9)) == 0:
            doc["type"] = draw(st.sampled_from(["expense.teleported", "x.y", "\ud800"]))
        else:
            doc[draw(st.sampled_from(ENVELOPE_FIELDS))] = draw(HOSTILE_VALUES)
    return json.dumps(doc).encode()


RANDOM_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                max_size=4),
    max_leaves=12,
).map(lambda doc: json.dumps(doc).encode())


@st.composite
def killer(draw, types: list[str]) -> bytes:
    """What stopped the consumers before issue 10: an envelope with data nested 100,000 deep
    or an integer of 5,000 digits (RecursionError / ValueError inside json.loads)."""
    valid = json.dumps(envelope(draw(st.sampled_from(types)), {"x": 0}))
    poison = draw(st.sampled_from(["[" * 100_000 + "]" * 100_000, "9" * 5000,
                                   '{"a":' * 60_000 + "1" + "}" * 60_000]))
    return valid.replace('{"x": 0}', '{"x": %s}' % poison).encode()


def hostile_messages(types: list[str], max_size: int = 5) -> st.SearchStrategy[list[bytes]]:
    """A batch of random bytes, random JSON and hostile envelopes of the topic's types."""
    one = st.one_of(st.binary(max_size=64), RANDOM_JSON, hostile_envelope(types),
                    hostile_envelope(types), killer(types))
    return st.lists(one, min_size=1, max_size=max_size)


def records(topic: str, values: list[bytes], first_offset: int = 0) -> list[ConsumerRecord]:
    return [ConsumerRecord(topic=topic, partition=0, offset=first_offset + i, timestamp=0,
                           timestamp_type=0, key=None, value=v, checksum=None,
                           serialized_key_size=0, serialized_value_size=len(v), headers=())
            for i, v in enumerate(values)]


class Ledger:
    """Counts the events real handlers applied, around the handler table of a dispatcher."""

    def __init__(self, table: dict[str, Handler]):
        self.applied = 0
        wrapped: dict[int, Handler] = {}
        self.handlers = {t: wrapped.setdefault(id(h), self._counting(h)) for t, h in table.items()}

    def _counting(self, handler: Handler) -> Handler:
        async def handle(events):
            await handler(events)
            self.applied += len(events)
        return handle

    def snapshot(self, dispatcher: EventDispatcher) -> tuple[int, int, int]:
        return dispatcher.dead_lettered, dispatcher.skipped, self.applied


def accounted(before: tuple[int, int, int], after: tuple[int, int, int]) -> int:
    """Messages dead-lettered, skipped or applied between two snapshots."""
    return sum(a - b for a, b in zip(after, before, strict=True))


def topic_types(topic_kind: str) -> list[str]:
    return [name for name, t in EVENT_TYPES.items() if t.topic == topic_kind]
