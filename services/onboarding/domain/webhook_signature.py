"""HMAC-SHA256 signatures of provider webhooks: `X-Signature: sha256=<hex>` over the raw body."""

import hashlib
import hmac

PREFIX = "sha256="


def sign(body: bytes, secret: str) -> str:
    """The X-Signature value a provider sends for `body`."""
    return PREFIX + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def signature_matches(body: bytes, header: str | None, secret: str) -> bool:
    """True when `header` is a valid signature of `body`; compared in constant time."""
    if not header or not header.startswith(PREFIX):
        return False
    given = header[len(PREFIX):].strip().lower().encode()
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest().encode()
    return hmac.compare_digest(given, expected)


def body_digest(body: bytes) -> str:
    """The hex SHA-256 of a webhook body: kept for audit and to recognise exact replays."""
    return hashlib.sha256(body).hexdigest()
