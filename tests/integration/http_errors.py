"""The one JSON error shape of both HTTP services, asserted."""


def assert_error(response, status: int, code: str | None = None) -> dict:
    """The `error` object of `response` after checking its status, its shape and its code."""
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and {"code", "message"} <= set(body["error"]), body
    if code is not None:
        assert body["error"]["code"] == code, body
    return body["error"]
