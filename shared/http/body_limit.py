"""A request body size limit enforced before the body is read (pure ASGI middleware).

A declared Content-Length over the limit is answered 413 at once, without reading a byte.
Without one (chunked, or a lying client) the bytes are counted as the app receives them:
past the limit, `receive` raises `BodyTooLarge`, which the app's error handlers turn into the
same 413 (and this middleware does, should it reach here before a response started).
"""

import json
from collections.abc import Mapping

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.http.errors import STATUS_CODES, error_body


class BodyTooLarge(HTTPException):
    """The request body went past the route's limit while it was being received."""

    def __init__(self, limit: int):
        super().__init__(413, f"the request body is larger than {limit} bytes")


class BodySizeLimit:
    """Refuse request bodies over `limit` bytes (`path_limits` overrides it per exact path)."""

    def __init__(self, app: ASGIApp, *, limit: int, path_limits: Mapping[str, int] | None = None):
        self.app = app
        self.limit = limit
        self.path_limits = dict(path_limits or {})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.path_limits.get(scope["path"], self.limit)
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await _send_413(send, limit)
            return
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        received = 0
        try:
            await self.app(scope, counting_receive, tracking_send)
        except BodyTooLarge:
            if started:
                raise
            await _send_413(send, limit)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            # Not a number: the server (or the app) refuses it; count the bytes meanwhile.
            return int(value) if value.isdigit() else None
    return None


async def _send_413(send: Send, limit: int) -> None:
    error = error_body(STATUS_CODES[413], f"the request body is larger than {limit} bytes")
    body = json.dumps(error).encode()
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})
