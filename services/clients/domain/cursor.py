"""Opaque keyset cursors: the last row's sort value and id, signed and bound to the query.

A search cursor also carries the row's tier (domain/search.py) when it is past the first.

A cursor is base64url(JSON) + "." + base64url(HMAC-SHA256). It is bound to the query's
parameters (tab, filters, sort, order), so reusing it with others is refused rather than
silently paging through a different list.
"""

import base64
import binascii
import hashlib
import hmac
import json
from uuid import UUID

from services.clients.domain.errors import BadCursor

_KEY_LABEL = b"clients-list-cursor:"


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _sign(payload: bytes, secret: str) -> bytes:
    return hmac.new(_KEY_LABEL + secret.encode(), payload, hashlib.sha256).digest()[:18]


def binding_of(*parts: object) -> str:
    """A short digest of the query parameters a cursor belongs to."""
    text = json.dumps([str(p) if p is not None else None for p in parts])
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def encode_cursor(value: str | int, row_id: UUID, binding: str, secret: str, *,
                  tier: int = 0) -> str:
    """A cursor pointing just after the row (`tier`, `value`, `row_id`)."""
    doc = {"v": value, "i": str(row_id), "b": binding} | ({"t": tier} if tier else {})
    payload = json.dumps(doc, separators=(",", ":")).encode()
    return f"{_b64(payload)}.{_b64(_sign(payload, secret))}"


def decode_cursor(cursor: str, binding: str, secret: str,
                  value_type: type) -> tuple[int, str | int, UUID]:
    """(tier, sort value, id) of a cursor we issued for this query; BadCursor otherwise."""
    body, _, signature = cursor.partition(".")
    try:
        payload, given = _unb64(body), _unb64(signature)
    except (binascii.Error, ValueError):
        raise BadCursor("the cursor is not one this API issued") from None
    if not hmac.compare_digest(given, _sign(payload, secret)):
        raise BadCursor("the cursor is not one this API issued")
    doc = json.loads(payload)
    if doc.get("b") != binding:
        raise BadCursor("the cursor belongs to a list with other parameters; "
                        "start again without a cursor")
    value = doc.get("v")
    if type(value) is not value_type:  # noqa: E721 - bool must not pass for int
        raise BadCursor("the cursor does not fit this sort")
    return doc.get("t", 0), value, UUID(doc["i"])
