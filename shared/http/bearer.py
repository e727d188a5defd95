"""Bearer tokens of requests: reading one, and the check of /internal callers."""

import hmac
from collections.abc import Awaitable, Callable

from fastapi import Request

from shared.http.errors import Unauthorized


def bearer_token(request: Request) -> str | None:
    """The token of `Authorization: Bearer <token>`, or None when there is none."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and token else None


def required_bearer_token(request: Request) -> str:
    """The request's bearer token; 401 `missing_token` when there is none."""
    token = bearer_token(request)
    if token is None:
        raise Unauthorized("a bearer token is required", code="missing_token")
    return token


def internal_caller_check(expected_token: Callable[[Request], str], *, message: str,
                    code: str = "unauthorized", tell_missing: bool = False
                    ) -> Callable[[Request], Awaitable[None]]:
    """A dependency letting through only `Authorization: Bearer <INTERNAL_API_TOKEN>`.

    The token is compared in constant time; a wrong one is refused with 401 `code` and
    `message`, and so is a missing one unless `tell_missing` answers it `missing_token`.
    Each service keeps the wording its callers already know.
    """

    async def check(request: Request) -> None:
        given = required_bearer_token(request) if tell_missing else bearer_token(request) or ""
        if not hmac.compare_digest(given.encode(), expected_token(request).encode()):
            raise Unauthorized(message, code=code)

    return check
