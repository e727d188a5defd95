"""Parsing of the webhook body after its signature was checked: anything malformed is 422."""

import uuid

import pytest

from services.onboarding.api.webhooks import parse_webhook_body
from shared.http.errors import Unprocessable

CASE = str(uuid.uuid4())


def test_valid_body_parses():
    body = parse_webhook_body(f'{{"case_id": "{CASE}", "event": "rejected", "reason": "x"}}'
                              .encode())
    assert (str(body.case_id), body.event, body.reason) == (CASE, "rejected", "x")


@pytest.mark.parametrize("raw", [
    b"", b"not json", b"\xff\xfe", b"[]", b"null", b'{"event": "approved"}',
    f'{{"case_id": "{CASE}"}}'.encode(), f'{{"case_id": "{CASE}", "event": "approve"}}'.encode(),
    b'{"case_id": "nope", "event": "approved"}',
    f'{{"case_id": "{CASE}", "event": "approved", "reason": 5}}'.encode(),
])
def test_malformed_body_is_unprocessable(raw):
    with pytest.raises(Unprocessable) as info:
        parse_webhook_body(raw)
    assert info.value.status == 422
