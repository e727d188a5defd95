"""Every example payload is a valid event of its type, and every type has an example."""

import json
from importlib import resources

import pytest

from shared.events import EVENT_TYPES, InvalidEvent, UnknownEventType, decode

EXAMPLES = resources.files("shared.events") / "examples"
FILES = sorted(p.name for p in EXAMPLES.iterdir() if p.name.endswith(".json"))


@pytest.mark.parametrize("name", FILES)
def test_example_decodes_to_its_type(name):
    event = decode(EXAMPLES.joinpath(name).read_bytes())
    assert event.type == name.removesuffix(".json")
    assert isinstance(event.data, EVENT_TYPES[event.type].model)


def test_every_event_type_has_an_example():
    assert {f.removesuffix(".json") for f in FILES} == set(EVENT_TYPES)


def _example(type_: str) -> dict:
    return json.loads(EXAMPLES.joinpath(f"{type_}.json").read_bytes())


@pytest.mark.parametrize("raw, fragment", [
    (b"{not json", "not JSON"),
    (b"[1, 2]", "not a JSON object"),
    (None, "empty"),
])
def test_garbage_is_invalid(raw, fragment):
    with pytest.raises(InvalidEvent, match=fragment):
        decode(raw)


def test_missing_envelope_field_is_invalid():
    doc = _example("expense.created")
    del doc["id"]
    with pytest.raises(InvalidEvent, match="envelope id"):
        decode(json.dumps(doc))


def test_data_of_wrong_shape_is_invalid():
    doc = _example("expense.created")
    doc["data"]["amount_minor"] = "a lot"
    with pytest.raises(InvalidEvent, match="data.amount_minor"):
        decode(json.dumps(doc))


def test_wallet_event_without_sequence_is_invalid():
    doc = _example("wallet.balance_changed")
    del doc["sequence"]
    with pytest.raises(InvalidEvent, match="sequence"):
        decode(json.dumps(doc))


def test_unknown_type_is_told_apart_from_invalid():
    doc = _example("expense.created")
    doc["type"] = "expense.teleported"
    with pytest.raises(UnknownEventType) as info:
        decode(json.dumps(doc))
    assert info.value.envelope.type == "expense.teleported"
