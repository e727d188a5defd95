"""Keyset cursors are opaque, signed and bound to their query."""

import uuid

import pytest

from services.clients.domain.cursor import binding_of, decode_cursor, encode_cursor
from services.clients.domain.errors import BadCursor

SECRET = "unit-secret"


def test_a_cursor_reads_back_its_value_and_id():
    row = uuid.uuid4()
    binding = binding_of("all", None, False, None, "name", "asc")
    cursor = encode_cursor("café noir", row, binding, SECRET)
    assert decode_cursor(cursor, binding, SECRET, str) == (0, "café noir", row)
    by_figure = encode_cursor(7, row, binding, SECRET)
    assert decode_cursor(by_figure, binding, SECRET, int) == (0, 7, row)
    second_tier = encode_cursor("caf", row, binding, SECRET, tier=1)
    assert decode_cursor(second_tier, binding, SECRET, str) == (1, "caf", row)


@pytest.mark.parametrize("cursor", ["", "x", "abc.def", "....", "%%%.%%%", "eyJ2Ijox.AAAA"])
def test_garbage_is_a_bad_cursor(cursor):
    with pytest.raises(BadCursor):
        decode_cursor(cursor, "b", SECRET, str)


def test_a_tampered_or_foreign_cursor_is_refused():
    binding = binding_of("all", None, False, None, "name", "asc")
    cursor = encode_cursor("m", uuid.uuid4(), binding, SECRET)
    body, sig = cursor.split(".")
    with pytest.raises(BadCursor):
        decode_cursor(body[:-1] + ("A" if body[-1] != "A" else "B") + "." + sig, binding,
                      SECRET, str)
    with pytest.raises(BadCursor):
        decode_cursor(cursor, binding, "another secret", str)
    with pytest.raises(BadCursor, match="other parameters"):
        decode_cursor(cursor, binding_of("all", None, False, None, "name", "desc"), SECRET, str)


def test_a_cursor_of_one_sort_does_not_fit_another_type():
    binding = "b"
    with pytest.raises(BadCursor):
        decode_cursor(encode_cursor("m", uuid.uuid4(), binding, SECRET), binding, SECRET, int)
    with pytest.raises(BadCursor):
        decode_cursor(encode_cursor(True, uuid.uuid4(), binding, SECRET), binding, SECRET, int)
