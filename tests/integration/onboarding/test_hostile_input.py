"""Hostile text and oversized bodies on the onboarding routes: 422 or 413, never a 500."""

import json
import uuid

import pytest

from services.onboarding.domain.webhook_signature import sign
from tests.integration.http_errors import assert_error

HOSTILE = {"nul": "owner\u0000@acme.example", "control": "owner\u0007@acme.example",
           "c1": "owner\u0085@acme.example", "del": "owner\u007f@acme.example",
           "surrogate": "owner\ud800@acme.example", "newline": "owner\n@acme.example"}


@pytest.mark.parametrize("kind", sorted(HOSTILE))
async def test_open_case_refuses_hostile_contact_email(calls, kind):
    body = {"client_id": str(uuid.uuid4()), "firm_id": str(uuid.uuid4()),
            "contact_email": HOSTILE[kind]}
    r = await calls.http.post("/internal/v1/cases", content=json.dumps(body).encode(),
                              headers={**calls.internal_headers,
                                       "Content-Type": "application/json"})
    error = assert_error(r, 422, "validation_error")
    assert "body.contact_email" in [d["location"] for d in error["details"]]


@pytest.mark.parametrize("reason", ["late\u0000", "late\u0007", "late\ud800", "late\u009b"])
async def test_webhook_refuses_hostile_reason_and_changes_nothing(calls, db_rows, reason):
    case = await calls.new_case()
    raw = json.dumps({"case_id": case["case_id"], "event": "rejected", "reason": reason}).encode()
    error = assert_error(await calls.webhook_raw(raw), 422, "validation_error")
    assert "reason" in [d["location"] for d in error["details"]]
    assert (await db_rows(case["case_id"]))["state"] == "invited"


async def test_webhook_reason_may_span_lines(calls):
    case = await calls.new_case()
    await calls.drive(case["case_id"], "submitted")
    r = await calls.webhook(case["case_id"], "rejected", reason="ID expired.\r\n\tPlease retry.")
    assert r.status_code == 200, r.text
    history = (await calls.read_case(case["case_id"]))["history"]
    assert history[-1]["reason"] == "ID expired.\r\n\tPlease retry."


@pytest.mark.parametrize("raw", [b"[" * 1500 + b"]" * 1500, b'{"case_id": ' + b"9" * 4000 + b"}"])
async def test_webhook_deep_nesting_and_huge_numbers_are_422(calls, raw):
    # Both once escaped json.loads as RecursionError / ValueError: a 500.
    assert_error(await calls.webhook_raw(raw), 422, "validation_error")


async def test_webhook_body_over_its_limit_is_413_before_the_signature(calls,
                                                                      onboarding_settings):
    limit = onboarding_settings.webhook_body_limit_bytes
    case = await calls.new_case()
    body = {"case_id": case["case_id"], "event": "submitted", "reason": ""}
    padding = limit - len(json.dumps(body))
    fits = json.dumps({**body, "reason": "x" * padding}).encode()
    assert len(fits) == limit
    r = await calls.webhook_raw(fits)
    assert r.status_code != 413, r.text  # exactly at the limit: read (422: reason too long)
    over = json.dumps({**body, "reason": "x" * (padding + 1)}).encode()
    assert_error(await calls.webhook_raw(over), 413, "payload_too_large")
    chunked = await calls.http.post(
        "/webhooks/verification", content=_chunks(over),
        headers={"Content-Type": "application/json", "X-Signature": sign(over, "x")})
    assert_error(chunked, 413, "payload_too_large")
    assert len((await calls.read_case(case["case_id"]))["history"]) == 1


async def test_internal_routes_take_16_kib(calls, onboarding_settings):
    limit = onboarding_settings.http_body_limit_bytes
    body = {"client_id": str(uuid.uuid4()), "firm_id": str(uuid.uuid4()),
            "contact_email": "owner@acme.example"}
    big = json.dumps({**body, "note": "x" * (limit - 200)}).encode()  # ignored extra field
    r = await calls.http.post("/internal/v1/cases", content=big,
                              headers={**calls.internal_headers,
                                       "Content-Type": "application/json"})
    assert r.status_code == 201, r.text
    bigger = json.dumps({**body, "note": "x" * limit}).encode()
    r = await calls.http.post("/internal/v1/cases", content=bigger,
                              headers={**calls.internal_headers,
                                       "Content-Type": "application/json"})
    assert_error(r, 413, "payload_too_large")


async def _chunks(raw: bytes):
    """The body as a stream: httpx sends it chunked, without Content-Length."""
    for i in range(0, len(raw), 1000):
        yield raw[i:i + 1000]
