"""Request bodies over the limit are 413 in the one error shape, before they are read."""

import json

import pytest

from services.clients.app import create_app
from tests.integration.http_errors import assert_error


@pytest.fixture
def limit(runtime) -> int:
    return runtime.settings.http_body_limit_bytes


def firm_body(size: int) -> bytes:
    """A valid firm body of exactly `size` bytes (the name is too long, which is fine)."""
    raw = json.dumps({"name": ""}).encode()
    return json.dumps({"name": "x" * (size - len(raw))}).encode()


async def test_declared_length_over_the_limit_is_413_without_reading(api, world, limit):
    at = firm_body(limit)
    r = await api.post("/internal/v1/firms", content=at,
                       headers={**world.internal, "Content-Type": "application/json"})
    assert r.status_code == 422, r.text  # read and validated: the name is over 300 characters
    r = await api.post("/internal/v1/firms", content=firm_body(limit + 1),
                       headers={**world.internal, "Content-Type": "application/json"})
    error = assert_error(r, 413)
    assert error["code"] == "payload_too_large"


async def _stream(raw: bytes):
    for i in range(0, len(raw), 1024):
        yield raw[i:i + 1024]


async def test_chunked_body_over_the_limit_is_413(api, world, limit):
    r = await api.post("/internal/v1/firms", content=_stream(firm_body(limit + 1)),
                       headers={**world.internal, "Content-Type": "application/json"})
    assert "content-length" not in r.request.headers
    assert assert_error(r, 413)["code"] == "payload_too_large"
    r = await api.post("/internal/v1/firms", content=_stream(b'{"name": "Chunked firm"}'),
                       headers={**world.internal, "Content-Type": "application/json"})
    assert r.status_code == 201, r.text


async def test_staff_routes_have_the_limit_too(api, world, limit):
    firm = await world.firm()
    admin = await world.staff(firm, "admin")
    client = await world.client(firm)
    body = json.dumps({"tasks": ["missing_receipts"], "comment": "x" * limit}).encode()
    r = await api.post(f"/v1/clients/{client}/reminders", content=body,
                       headers={**admin.headers, "Content-Type": "application/json"})
    assert assert_error(r, 413)["code"] == "payload_too_large"


async def call_raw(app, headers: list, chunks: list[bytes]) -> tuple[int, dict, int]:
    """Call the ASGI app with `chunks` as the body; (status, JSON body, chunks it pulled)."""
    pulled = 0
    sent: list[dict] = []

    async def receive():
        nonlocal pulled
        if pulled < len(chunks):
            pulled += 1
            return {"type": "http.request", "body": chunks[pulled - 1],
                    "more_body": pulled < len(chunks)}
        return {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
             "method": "POST", "scheme": "http", "path": "/internal/v1/firms",
             "raw_path": b"/internal/v1/firms", "query_string": b"", "root_path": "",
             "headers": headers, "client": ("127.0.0.1", 1), "server": ("clients", 80)}
    await app(scope, receive, send)
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return status, json.loads(body), pulled


async def test_the_app_stops_receiving_once_over_the_limit(runtime, world, limit):
    app = create_app(runtime=runtime)
    auth = [(b"authorization", world.internal["Authorization"].encode()),
            (b"content-type", b"application/json")]
    chunks = [b" " * 1024] * (4 * limit // 1024)  # four times the limit, never all read
    status, body, pulled = await call_raw(app, auth, chunks)
    assert (status, body["error"]["code"]) == (413, "payload_too_large")
    assert pulled == limit // 1024 + 1
    declared = [*auth, (b"content-length", str(4 * limit).encode())]
    status, body, pulled = await call_raw(app, declared, chunks)
    assert (status, body["error"]["code"], pulled) == (413, "payload_too_large", 0)
