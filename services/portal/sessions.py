"""The session cookie and the CSRF tokens derived from it (pure: no I/O, no framework).

The portal holds no data, so the session lives in the cookie: the staff member's bearer
token and who `GET /v1/me` said they are (name, role, locale, for the header and the
wording; the API still decides every permission from its own database). The cookie is
signed with PORTAL_SESSION_SECRET so that nothing but a token the portal checked reaches
the API from it. The CSRF token of a session is an HMAC of its bearer token: no storage,
and a form rendered for one session is refused in any other.
"""

import base64
import hashlib
import hmac
import json
from dataclasses import dataclass

_VERSION = "v1"


@dataclass(frozen=True, slots=True)
class Session:
    """A signed-in staff member: their token and their /v1/me answer."""

    token: str
    staff_id: str
    firm_id: str
    name: str
    role: str
    locale: str

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @classmethod
    def of(cls, token: str, me: dict) -> "Session":
        return cls(token=token, staff_id=str(me["id"]), firm_id=str(me["firm_id"]),
                   name=str(me["name"]), role=str(me["role"]), locale=str(me["locale"]))


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _mac(secret: str, purpose: str, data: str) -> str:
    return _b64(hmac.new(secret.encode(), f"{purpose}|{data}".encode(), hashlib.sha256).digest())


def encode_session(session: Session, secret: str) -> str:
    """The cookie value: version, signature, payload."""
    payload = _b64(json.dumps([session.token, session.staff_id, session.firm_id, session.name,
                               session.role, session.locale],
                              separators=(",", ":")).encode())
    return f"{_VERSION}.{_mac(secret, 'session', payload)}.{payload}"


def decode_session(value: str | None, secret: str) -> Session | None:
    """The session a cookie carries, or None when it is missing, tampered or malformed."""
    if not value:
        return None
    version, _, rest = value.partition(".")
    signature, _, payload = rest.partition(".")
    if version != _VERSION or not hmac.compare_digest(
            signature.encode(), _mac(secret, "session", payload).encode()):
        return None
    try:
        token, staff_id, firm_id, name, role, locale = json.loads(_unb64(payload))
    except ValueError:
        return None
    return Session(token=token, staff_id=staff_id, firm_id=firm_id, name=name, role=role,
                   locale=locale)


def csrf_token(session: Session, secret: str) -> str:
    """The CSRF token every state-changing form of this session carries."""
    return _mac(secret, "csrf", session.token)


def csrf_valid(session: Session, secret: str, offered: str | None) -> bool:
    return bool(offered) and hmac.compare_digest(offered.encode(),
                                                 csrf_token(session, secret).encode())
