"""schemathesis over the onboarding API (internal token, signed webhooks): no 5xx, JSON errors.

The app runs with its own lifespan (pool, producer, outbox relay on this session's topic) in
schemathesis' event loop, against the real PostgreSQL and Kafka. Every generated webhook body
is signed, so it gets past the signature check to the parsing and the state machine.
The figures line shows in the test output (and as a junit property).
"""

import json
import os
import uuid

import pytest
import schemathesis
from schemathesis.core import NotSet

from services.onboarding.api.webhooks import PATH as WEBHOOK_PATH
from services.onboarding.app import create_app
from services.onboarding.domain.webhook_signature import sign
from tests.integration.openapi_fuzz import fuzz

MAX_EXAMPLES = int(os.environ.get("FUZZ_MAX_EXAMPLES", "25"))


def _is_uuid(value) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


@pytest.fixture
async def case_id(calls) -> str:
    return (await calls.new_case())["case_id"]


def test_no_route_answers_a_server_error(onboarding_settings, calls, case_id, capsys,
                                         record_property):
    schema = schemathesis.openapi.from_asgi(
        "/openapi.json", create_app(onboarding_settings, run_expiry_job=False))

    def credentials(case):
        if case.operation.path != WEBHOOK_PATH:
            return {"headers": calls.internal_headers}
        body = case.body
        if isinstance(body, dict) and _is_uuid(body.get("case_id")) and len(repr(body)) % 2:
            # Half of the valid-looking reports name a real case: the state machine runs.
            body = {**body, "case_id": case_id}
        if isinstance(body, NotSet):
            raw = b""
        else:  # negative cases may bring raw bytes of their own
            raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        return {"data": raw, "headers": {"Content-Type": "application/json",
                                         "X-Signature": sign(raw, calls.webhook_secret)}}

    report = fuzz(schema, "onboarding", credentials=credentials, real_ids={"case_id": case_id},
                  max_examples=MAX_EXAMPLES)
    with capsys.disabled():  # the figures show in every run, `make test` included
        print(f"\n{report.line()}")
    record_property("schemathesis", report.line())
    assert report.failures == [], "\n".join(report.failures)
    assert report.statuses["2xx"] > 0, "no valid request got through"
    assert report.operations >= 5 and report.cases >= report.operations * MAX_EXAMPLES
