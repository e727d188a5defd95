"""Checks on a message that run before and right after JSON parsing, so that no message can
make the parser recurse, burn CPU, or hand the database text it cannot store.

The parser (`json.loads`) recurses once per nesting level and converts integers digit by
digit, so depth and size are checked on the raw bytes first, without parsing; integers are
refused by their number of digits while parsing.
"""

import json
import re
from itertools import accumulate
from typing import Any

# Kafka's default message.max.bytes is about 1 MB; our events are a few hundred bytes.
MAX_MESSAGE_BYTES = 1_000_000
# An envelope nests data, whose fields nest at most one list: 32 leaves plenty of room.
MAX_DEPTH = 32
# 2**63 has 19 digits: anything longer cannot fit any integer column, so refuse it unparsed.
MAX_INTEGER_DIGITS = 20

# A JSON string (escapes included), unterminated ones too; possessive, so it never backtracks.
_STRING = re.compile(rb'"(?:[^"\\]++|\\.)*+"?', re.S)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_STEP = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}
# PostgreSQL text cannot hold NUL; a lone surrogate cannot be encoded as UTF-8.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


class Refused(ValueError):
    """The message breaks one of the limits; the text says which."""


def nesting_depth(raw: bytes) -> int:
    """How deep arrays and objects nest in `raw`, counted without parsing it."""
    brackets = _STRING.sub(b"", raw).translate(None, _NOT_BRACKETS)
    return max(accumulate(map(_STEP.__getitem__, brackets)), default=0)


def _parse_int(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_INTEGER_DIGITS:
        raise Refused(f"integer of {len(digits)} digits")
    return int(digits)


def _parse_constant(name: str) -> float:
    raise Refused(f"{name} is not JSON")


def parse(raw: bytes) -> Any:
    """UTF-8 JSON within the limits; raise Refused (or ValueError from the parser) otherwise."""
    if len(raw) > MAX_MESSAGE_BYTES:
        raise Refused(f"message of {len(raw)} bytes, more than {MAX_MESSAGE_BYTES}")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Refused(f"not UTF-8: {exc.reason} at byte {exc.start}") from None
    depth = nesting_depth(raw)
    if depth > MAX_DEPTH:
        raise Refused(f"nested {depth} deep, more than {MAX_DEPTH}")
    return json.loads(text, parse_int=_parse_int, parse_constant=_parse_constant)


def check_text(doc: Any) -> None:
    """Raise Refused if any key or string anywhere in `doc` holds NUL or a lone surrogate."""
    # Iterative: the depth is already bounded, but nothing here should recurse on input.
    pending = [doc]
    while pending:
        node = pending.pop()
        if isinstance(node, str):
            if _UNSTORABLE.search(node):
                raise Refused("text with NUL or an unpaired surrogate")
        elif isinstance(node, dict):
            pending.extend(node.keys())
            pending.extend(node.values())
        elif isinstance(node, list):
            pending.extend(node)
