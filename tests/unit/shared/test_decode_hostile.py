"""decode() against hostile bytes: InvalidEvent (dead-letter) or UnknownEventType, nothing else."""

import json
import time
import uuid

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shared.events import InvalidEvent, UnknownEventType, decode
from shared.events.guard import MAX_DEPTH, MAX_MESSAGE_BYTES, nesting_depth

CLIENT = str(uuid.uuid4())


def envelope(type_="wallet.balance_changed", data=None, **fields) -> dict:
    doc = {"specversion": "1.0", "id": str(uuid.uuid4()), "source": "/t", "type": type_,
           "time": "2024-05-01T10:00:00Z", "subject": CLIENT, "sequence": 1,
           "data": {"client_id": CLIENT, "balance_minor": 5, "currency": "EUR"}
           if data is None else data}
    return doc | fields


def raw(doc) -> bytes:
    return json.dumps(doc).encode()


def refused(message: bytes) -> str:
    with pytest.raises(InvalidEvent) as caught:
        decode(message)
    return str(caught.value)


def test_a_valid_event_still_decodes():
    assert decode(raw(envelope())).data.balance_minor == 5


def test_deep_nesting_is_refused_before_parsing():
    started = time.perf_counter()
    assert "nested" in refused(b"[" * 200_000 + b"]" * 200_000)
    assert "nested" in refused(b'{"data":' * 100_000)
    assert time.perf_counter() - started < 1
    assert nesting_depth(b'{"a": "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["}') == 1
    assert nesting_depth(b'{"a": "\\"[[[[", "b": [[1]]}') == 3


def test_depth_up_to_the_limit_is_fine():
    nested = {"x": None}
    for _ in range(MAX_DEPTH - 3):
        nested = {"x": nested}
    doc = envelope(extra=nested)
    assert nesting_depth(raw(doc)) <= MAX_DEPTH
    decode(raw(doc))


def test_an_integer_of_thousands_of_digits_is_refused_unparsed():
    assert "digits" in refused(raw(envelope())[:-2] + b', "n": ' + b"9" * 5000 + b"}}")


def test_an_oversized_message_is_refused():
    assert "bytes" in refused(b" " * (MAX_MESSAGE_BYTES + 1))


@pytest.mark.parametrize("message", [b"\xff\xfe{}", b'{"a": "\xc3"}', b"\xed\xa0\x80"])
def test_invalid_utf8_is_refused(message):
    assert "UTF-8" in refused(message)


@pytest.mark.parametrize("text", ["a\x00b", "\ud800", "x\udfff"])
@pytest.mark.parametrize("where", ["source", "subject", "type", "extra", "data", "key"])
def test_nul_and_lone_surrogates_are_refused_anywhere(text, where):
    doc = envelope()
    if where == "data":
        doc["data"]["currency"] = text
    elif where == "key":
        doc["data"][text] = 1
    else:
        doc[where] = text
    assert "NUL" in refused(json.dumps(doc).encode())  # json escapes them as \u0000, \ud800


def test_a_surrogate_pair_is_a_character_not_a_lone_surrogate():
    doc = envelope()
    doc["source"] = "/\U0001F600"
    decode(json.dumps(doc).encode())


@pytest.mark.parametrize("value", [2**63, -(2**63) - 1, 10**19])
def test_amounts_beyond_bigint_are_refused(value):
    assert "balance_minor" in refused(raw(envelope(data={
        "client_id": CLIENT, "balance_minor": value, "currency": "EUR"})))


@pytest.mark.parametrize("sequence", [-1, 2**63])
def test_sequence_outside_0_to_bigint_is_refused(sequence):
    assert "sequence" in refused(raw(envelope(sequence=sequence)))


def test_the_edges_of_bigint_are_accepted():
    for value in (2**63 - 1, -(2**63)):
        decode(raw(envelope(data={"client_id": CLIENT, "balance_minor": value,
                                  "currency": "EUR"}, sequence=2**63 - 1)))


def test_an_unknown_enum_value_is_refused():
    data = {"client_id": CLIENT, "firm_id": CLIENT, "case_id": CLIENT, "from_state": None,
            "to_state": "teleported"}
    assert "to_state" in refused(raw(envelope("verification.state_changed", data)))


def test_an_instant_that_does_not_fit_utc_is_refused():
    data = {"scheduled_for": "0001-01-01T00:00:00+05:00"}
    assert "scheduled_for" in refused(raw(envelope("schedule.tick", data)))


@pytest.mark.parametrize("message", [b"NaN", b'{"a": Infinity}', b"[]", b'"x"', b"null"])
def test_non_objects_and_non_json_constants_are_refused(message):
    refused(message)


def test_unknown_types_are_still_skipped_and_extra_fields_ignored():
    with pytest.raises(UnknownEventType):
        decode(raw(envelope("expense.teleported", {})))
    doc = envelope()
    doc["data"]["added_later"] = {"whatever": [1, 2]}
    assert decode(raw(doc)).data.balance_minor == 5


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300) | st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner), max_leaves=30,
).map(lambda doc: json.dumps(doc).encode()))
def test_whatever_the_bytes_decode_raises_only_the_two_known_errors(message):
    try:
        decode(message)
    except (InvalidEvent, UnknownEventType):
        pass
