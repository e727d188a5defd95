"""Signed tokens (HS256 JWT) the services hand out and check: one place for their claims.

* staff tokens: `sub` = staff id, iss/aud `partner-portal` (ARCHITECTURE "HTTP contract");
  the ones minted here for local use carry `dev: true`, refused in production mode;
* unsubscribe tokens: name a staff member and the clients of one digest (RFC 8058 links);
* client-access grants: "Go to client", audience `client-account`, five minutes.

Each kind has its own `SigningKeys`: the current key signs and names itself in the `kid`
header; keys listed as previous still verify, so a key is rotated by adding the new one as
current, keeping the old one as previous while its tokens live, then removing it. A token
without `kid` is checked against the current key (the platform's staff tokens carry none).
"""

import base64
import hashlib
import hmac
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
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


class InvalidToken(ValueError):
    """Missing, expired, forged or otherwise unusable token."""


@dataclass(frozen=True, slots=True)
class SigningKeys:
    """One kind of token's keys: `secret` (id `kid`) signs; it and `previous` verify."""

    kid: str
    secret: str = field(repr=False)  # never in a log line or traceback
    previous: tuple[tuple[str, str], ...] = field(default=(), repr=False)  # (kid, secret)
    # The staff-token cache hashes the keys on every request: hash them once.
    _hash: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_hash", hash((self.kid, self.secret, self.previous)))

    def __hash__(self) -> int:
        return self._hash

    def verifying_secret(self, kid: str | None) -> str:
        """The secret a token with header `kid` must be signed with; unknown ids are refused."""
        if kid is None or kid == self.kid:
            return self.secret
        for old_kid, secret in self.previous:
            if old_kid == kid:
                return secret
        raise InvalidToken("invalid token: unknown key id")


def parse_previous_keys(text: str) -> tuple[tuple[str, str], ...]:
    """`kid1:secret1,kid2:secret2` -> ((kid1, secret1), (kid2, secret2)); empty -> ()."""
    pairs = []
    for item in filter(None, (part.strip() for part in text.split(","))):
        kid, sep, secret = item.partition(":")
        if not sep or not kid.strip() or not secret:
            raise ValueError("previous keys must be written kid:secret, separated by commas")
        pairs.append((kid.strip(), secret))
    return tuple(pairs)


def _b64(data: bytes) -> bytes:
    return base64.urlsafe_b64encode(data).rstrip(b"=")


@lru_cache(maxsize=64)
def _header(kid: str) -> bytes:
    # PyJWT writes the header with sorted keys: alg, kid, typ.
    return _b64(json.dumps({"alg": ALGORITHM, "kid": kid, "typ": "JWT"},
                           separators=(",", ":")).encode())


def _encode(claims: dict, keys: SigningKeys) -> str:
    """The HS256 JWT of `claims` signed with the current key, byte for byte what
    `jwt.encode(..., headers={"kid": kid})` gives (tested).

    PyJWT checks and prepares the key on every call, which made minting the unsubscribe
    link an eighth of composing a digest (measured); HS256 itself is one HMAC over two
    base64url segments. Tokens are read with PyJWT.
    """
    claims = {k: int(v.timestamp()) if isinstance(v, datetime) else v for k, v in claims.items()}
    signing_input = (_header(keys.kid) + b"."
                     + _b64(json.dumps(claims, separators=(",", ":")).encode()))
    signature = hmac.new(keys.secret.encode(), signing_input, hashlib.sha256).digest()
    return (signing_input + b"." + _b64(signature)).decode()


def _decode(token: str, keys: SigningKeys, audience: str) -> dict:
    try:
        kid = jwt.get_unverified_header(token).get("kid")
        secret = keys.verifying_secret(kid)
        return jwt.decode(token, secret, algorithms=[ALGORITHM], audience=audience,
                          issuer=ISSUER, options={"require": ["exp", "sub", "iss", "aud"]})
    except jwt.ExpiredSignatureError:
        raise InvalidToken("token expired") from None
    except jwt.PyJWTError as exc:
        raise InvalidToken(f"invalid token: {exc}") from None


def mint_staff_token(staff_id: UUID, keys: SigningKeys, *,
                     ttl: timedelta = timedelta(hours=12), now: datetime | None = None) -> str:
    """A development bearer token for a staff member (the platform issues the real ones)."""
    issued = now or datetime.now(UTC)
    claims = {"sub": str(staff_id), "iss": ISSUER, "aud": STAFF_AUDIENCE, "dev": True,
              "iat": issued, "exp": issued + ttl}
    return _encode(claims, keys)


def read_staff_token(token: str, keys: SigningKeys, *, accept_dev: bool = True,
                     now: datetime | None = None) -> UUID:
    """The staff id a valid staff token names; development tokens only if `accept_dev`."""
    staff_id, expires = _verified_staff_token(token, keys, accept_dev)
    if (now or datetime.now(UTC)).timestamp() >= expires:
        raise InvalidToken("token expired")
    return staff_id


@lru_cache(maxsize=4096)
def _verified_staff_token(token: str, keys: SigningKeys,
                          accept_dev: bool) -> tuple[UUID, float]:
    """(staff id, expiry) of a token checked in full once.

    A browser sends the same token with every request for hours; its signature and claims
    cannot change, so they are verified on first sight only (a tenth of a list request's
    CPU, measured). Only valid tokens are remembered, and the expiry is checked on every
    use by the caller. The keys are part of the cache key: once a key is removed, tokens it
    signed are checked again, and refused.
    """
    claims = _decode(token, keys, STAFF_AUDIENCE)
    if claims.get("dev") and not accept_dev:
        raise InvalidToken("development tokens are not accepted in production")
    try:
        return UUID(claims["sub"]), float(claims["exp"])
    except ValueError:
        raise InvalidToken("invalid token: sub is not a staff id") from None


def make_unsubscribe_token(staff_id: UUID, client_ids: Sequence[UUID], keys: SigningKeys,
                           *, now: datetime | None = None) -> str:
    """A token that turns off `staff_id`'s email setting for `client_ids`."""
    issued = now or datetime.now(UTC)
    claims = {"sub": str(staff_id), "iss": ISSUER, "aud": UNSUBSCRIBE_AUDIENCE,
              "clients": [str(c) for c in client_ids], "iat": issued,
              "exp": issued + UNSUBSCRIBE_TTL}
    return _encode(claims, keys)


def read_unsubscribe_token(token: str, keys: SigningKeys) -> tuple[UUID, list[UUID]]:
    """(staff id, client ids) of a valid unsubscribe token."""
    claims = _decode(token, keys, UNSUBSCRIBE_AUDIENCE)
    try:
        return UUID(claims["sub"]), [UUID(c) for c in claims.get("clients", [])]
    except (ValueError, TypeError):
        raise InvalidToken("invalid token: malformed claims") from None


def make_client_access_grant(*, grant_id: UUID, client_id: UUID, staff_id: UUID,
                             keys: SigningKeys,
                             now: datetime | None = None) -> tuple[str, datetime]:
    """(token, expires_at) of a delegated-access grant to one client's account."""
    issued = now or datetime.now(UTC)
    expires = issued + CLIENT_ACCESS_TTL
    claims = {"sub": str(staff_id), "iss": ISSUER, "aud": CLIENT_ACCESS_AUDIENCE,
              "jti": str(grant_id), "client_id": str(client_id), "staff_id": str(staff_id),
              "iat": issued, "exp": expires}
    return _encode(claims, keys), expires


def read_client_access_grant(token: str, keys: SigningKeys) -> dict:
    """The claims of a valid grant (what the client-account side checks; used by tests)."""
    return _decode(token, keys, CLIENT_ACCESS_AUDIENCE)
