"""The internal-caller check: constant-time token match, each service's wording kept."""

import pytest
from fastapi import Request

from shared.http.bearer import internal_caller_check
from shared.http.errors import Unauthorized

TOKEN = "internal-token-0123456789"


def _request(authorization: str | None) -> Request:
    headers = [] if authorization is None else [(b"authorization", authorization.encode())]
    return Request({"type": "http", "headers": headers})


def _check(**wording):
    return internal_caller_check(lambda _: TOKEN, message="refused", **wording)


@pytest.mark.parametrize("header", [f"Bearer {TOKEN}", f"bearer  {TOKEN} "])
async def test_the_internal_token_gets_through(header):
    assert await _check()(_request(header)) is None


@pytest.mark.parametrize("header", [None, "Bearer", "Basic abc", f"Bearer {TOKEN}x",
                                    f"Token {TOKEN}"])
async def test_anything_else_is_refused_in_the_services_wording(header):
    with pytest.raises(Unauthorized) as refused:
        await _check(code="invalid_token")(_request(header))
    assert (refused.value.code, refused.value.message) == ("invalid_token", "refused")


@pytest.mark.parametrize("header", [None, "Bearer ", "Basic abc"])
async def test_a_missing_token_can_be_told_apart(header):
    with pytest.raises(Unauthorized) as refused:
        await _check(code="invalid_token", tell_missing=True)(_request(header))
    assert refused.value.code == "missing_token"
    with pytest.raises(Unauthorized) as wrong:
        await _check(code="invalid_token", tell_missing=True)(_request("Bearer nope"))
    assert wrong.value.code == "invalid_token"
