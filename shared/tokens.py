"""Signed tokens (HS256 JWT) the services hand out and check: one place for their claims.

* staff tokens: `sub` = staff id, iss/aud `partner-portal` (ARCHITECTURE "HTTP contract");
  the ones minted here for local use carry `dev: true`, refused in production mode;
* unsubscribe tokens: name a staff member and the clients of one digest (RFC 8058 links);
* client-access grants: "Go to client", audience `client-account`, five minutes.
"""

import base64
import hashlib
import hmac
import json
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from uuid import UUID

import jwt

ISSUER = "partner-portal"
STAFF_AUDIENCE = "partner-portal"
UNSUBSCRIBE_AUDIENCE = "partner-portal/unsubscribe"
CLIENT_ACCESS_AUDIENCE = "client-account"
CLIENT_ACCESS_TTL = timedelta(minutes=5)
UNSUBSCRIBE_TTL = timedelta(days=90)
ALGORITHM = "HS256"


def _b64(data: bytes) -> bytes:
    return base64.urlsafe_b64encode(data).rstrip(b"=")


_HEADER = _b64(b'{"alg":"HS256","typ":"JWT"}')


def _encode(claims: dict, secret: str) -> str:
    """The HS256 JWT of `claims`, byte for byte what `jwt.encode` gives (tested).

    PyJWT checks and prepares the key on every call, which made minting the unsubscribe
    link an eighth of composing a digest (measured); HS256 itself is one HMAC over two
    base64url segments. Tokens are read with PyJWT.
    """
    claims = {k: int(v.timestamp()) if isinstance(v, datetime) else v for k, v in claims.items()}
    signing_input = _HEADER + b"." + _b64(json.dumps(claims, separators=(",", ":")).encode())
    signature = hmac.new(secret.encode(), signing_input, hashlib.sha256).digest()
    return (signing_input + b"." + _b64(signature)).decode()


class InvalidToken(ValueError):
    """Missing, expired, forged or otherwise unusable token."""


def _decode(token: str, secret: str, audience: str) -> dict:
    try:
        return jwt.decode(token, secret, algorithms=[ALGORITHM], audience=audience,
                          issuer=ISSUER, options={"require": ["exp", "sub", "iss", "aud"]})
    except jwt.ExpiredSignatureError:
        raise InvalidToken("token expired") from None
    except jwt.PyJWTError as exc:
        raise InvalidToken(f"invalid token: {exc}") from None


def mint_staff_token(staff_id: UUID, secret: str, *, ttl: timedelta = timedelta(hours=12),
                     now: datetime | None = None) -> str:
    """A development bearer token for a staff member (the platform issues the real ones)."""
    issued = now or datetime.now(UTC)
    claims = {"sub": str(staff_id), "iss": ISSUER, "aud": STAFF_AUDIENCE, "dev": True,
              "iat": issued, "exp": issued + ttl}
    return _encode(claims, secret)


def read_staff_token(token: str, secret: str, *, accept_dev: bool = True,
                     now: datetime | None = None) -> UUID:
    """The staff id a valid staff token names; development tokens only if `accept_dev`."""
    staff_id, expires = _verified_staff_token(token, secret, accept_dev)
    if (now or datetime.now(UTC)).timestamp() >= expires:
        raise InvalidToken("token expired")
    return staff_id


@lru_cache(maxsize=4096)
def _verified_staff_token(token: str, secret: str, accept_dev: bool) -> tuple[UUID, float]:
    """(staff id, expiry) of a token checked in full once.

    A browser sends the same token with every request for hours; its signature and claims
    cannot change, so they are verified on first sight only (a tenth of a list request's
    CPU, measured). Only valid tokens are remembered, and the expiry is checked on every
    use by the caller.
    """
    claims = _decode(token, secret, STAFF_AUDIENCE)
    if claims.get("dev") and not accept_dev:
        raise InvalidToken("development tokens are not accepted in production")
    try:
        return UUID(claims["sub"]), float(claims["exp"])
    except ValueError:
        raise InvalidToken("invalid token: sub is not a staff id") from None


def make_unsubscribe_token(staff_id: UUID, client_ids: Sequence[UUID], secret: str,
                           *, now: datetime | None = None) -> str:
    """A token that turns off `staff_id`'s email setting for `client_ids`."""
    issued = now or datetime.now(UTC)
    claims = {"sub": str(staff_id), "iss": ISSUER, "aud": UNSUBSCRIBE_AUDIENCE,
              "clients": [str(c) for c in client_ids], "iat": issued,
              "exp": issued + UNSUBSCRIBE_TTL}
    return _encode(claims, secret)


def read_unsubscribe_token(token: str, secret: str) -> tuple[UUID, list[UUID]]:
    """(staff id, client ids) of a valid unsubscribe token."""
    claims = _decode(token, secret, UNSUBSCRIBE_AUDIENCE)
    try:
        return UUID(claims["sub"]), [UUID(c) for c in claims.get("clients", [])]
    except (ValueError, TypeError):
        raise InvalidToken("invalid token: malformed claims") from None


def make_client_access_grant(*, grant_id: UUID, client_id: UUID, staff_id: UUID, secret: str,
                             now: datetime | None = None) -> tuple[str, datetime]:
    """(token, expires_at) of a delegated-access grant to one client's account."""
    issued = now or datetime.now(UTC)
    expires = issued + CLIENT_ACCESS_TTL
    claims = {"sub": str(staff_id), "iss": ISSUER, "aud": CLIENT_ACCESS_AUDIENCE,
              "jti": str(grant_id), "client_id": str(client_id), "staff_id": str(staff_id),
              "iat": issued, "exp": expires}
    return _encode(claims, secret), expires
