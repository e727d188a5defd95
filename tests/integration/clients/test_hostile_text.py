"""Text with NUL, control characters or lone surrogates is a 422 naming the field, never a 500.

asyncpg cannot send NUL or an unpaired surrogate to PostgreSQL: before the text types of
`shared.http.text` each of these requests reached the database and answered 500.
"""

import json
import uuid

import pytest

from tests.integration.http_errors import assert_error

# JSON escapes as a client would send them: json.dumps keeps "\u0000" and "\ud800" escaped.
HOSTILE = {"nul": "Acme\u0000 BV", "control": "Acme\u0007 BV", "c1": "Acme\u0085 BV",
           "del": "Acme\u007f BV", "surrogate": "Acme\ud800 BV", "newline": "Acme\n BV"}


def post_json(api, path, body, headers):
    """POST `body` as JSON text with its escapes ("\\u0000", "\\ud800") left in the bytes."""
    return api.post(path, content=json.dumps(body).encode(),
                    headers={**headers, "Content-Type": "application/json"})


def assert_refused(response, location: str) -> None:
    error = assert_error(response, 422)
    assert error["code"] == "validation_error"
    assert location in [d["location"] for d in error["details"]], error


@pytest.fixture
async def setup(world):
    firm = await world.firm()
    admin = await world.staff(firm, "admin")
    return firm, admin


# A query string is bytes: a lone surrogate cannot be sent in one (see the %ED%A0%80 test).
@pytest.mark.parametrize("kind", sorted(set(HOSTILE) - {"surrogate"}))
async def test_list_query_q_refuses_hostile_text(api, setup, kind):
    _, admin = setup
    r = await api.get("/v1/clients", params={"q": HOSTILE[kind]}, headers=admin.headers)
    assert_refused(r, "query.q")


@pytest.mark.parametrize("raw", ["%00", "a%01b", "%7F", "%C2%85", "a%0Ab"])
async def test_list_query_q_refuses_percent_encoded_controls(api, setup, raw):
    _, admin = setup
    r = await api.get(f"/v1/clients?q={raw}", headers=admin.headers)
    assert_refused(r, "query.q")


async def test_percent_encoded_surrogate_is_not_a_server_error(api, setup):
    # %ED%A0%80 is the UTF-8-style encoding of U+D800: it decodes to replacement characters,
    # which are ordinary text, so the search simply finds nothing.
    _, admin = setup
    r = await api.get("/v1/clients?q=%ED%A0%80", headers=admin.headers)
    assert r.status_code == 200, r.text
    assert r.json()["items"] == []


@pytest.mark.parametrize("kind", sorted(HOSTILE))
async def test_invite_refuses_hostile_text_in_every_field(api, setup, kind):
    _, admin = setup
    valid = {"name": "Acme", "registration_number": "123", "country": "NL",
             "contact_email": "owner@acme.example"}
    for field in ("name", "registration_number", "contact_email"):
        r = await post_json(api, "/v1/clients/invite", {**valid, field: HOSTILE[kind]},
                            admin.headers)
        assert_refused(r, f"body.{field}")


@pytest.mark.parametrize("kind", sorted(HOSTILE))
async def test_internal_create_client_refuses_hostile_text(api, world, kind):
    for field in ("name", "registration_number", "country"):
        body = {"name": "Acme", "registration_number": "", "country": "NL",
                field: HOSTILE[kind]}
        r = await post_json(api, "/internal/v1/clients", body, world.internal)
        assert_refused(r, f"body.{field}")


@pytest.mark.parametrize("kind", sorted(HOSTILE))
async def test_internal_firm_and_staff_refuse_hostile_text(api, world, setup, kind):
    firm, _ = setup
    assert_refused(await post_json(api, "/internal/v1/firms", {"name": HOSTILE[kind]},
                                   world.internal), "body.name")
    staff = {"email": "x@firm.example", "name": HOSTILE[kind], "role": "admin"}
    assert_refused(await post_json(api, f"/internal/v1/firms/{firm}/staff", staff,
                                   world.internal), "body.name")


@pytest.mark.parametrize("value", ["\u0000", "active\u0000", "\ud800", "active\u0007"])
async def test_internal_link_refuses_hostile_text(api, world, setup, value):
    firm, _ = setup
    client = await world.client(None)
    r = await post_json(api, f"/internal/v1/firms/{firm}/links",
                        {"client_id": str(client), "state": value}, world.internal)
    assert_refused(r, "body.state")
    r = await post_json(api, f"/internal/v1/firms/{firm}/links",
                        {"client_id": f"{client}\u0000", "state": "active"}, world.internal)
    assert_refused(r, "body.client_id")


@pytest.mark.parametrize("kind", ["nul", "control", "c1", "del", "surrogate"])
async def test_reminder_comment_refuses_controls_but_keeps_lines_and_tabs(api, world, kind):
    firm = await world.firm()
    admin = await world.staff(firm, "admin")
    client = await world.client(firm)
    await world.assign(admin, client, await world.staff(firm, "bookkeeper"))
    path = f"/v1/clients/{client}/reminders"
    r = await post_json(api, path, {"tasks": ["missing_receipts"], "comment": HOSTILE[kind]},
                        admin.headers)
    assert_refused(r, "body.comment")
    r = await post_json(api, path, {"tasks": ["missing_receipts"],
                                    "comment": "Line one\r\n\tLine two"}, admin.headers)
    assert r.status_code == 202, r.text


async def test_idempotency_key_header_refuses_controls(api, world):
    firm = await world.firm()
    admin = await world.staff(firm, "admin")
    client = await world.client(firm)
    r = await api.post(f"/v1/clients/{client}/reminders", json={"tasks": ["missing_receipts"]},
                       headers={**admin.headers, "Idempotency-Key": "key\x01"})
    assert_refused(r, "header.Idempotency-Key")


async def test_ordinary_unicode_text_is_still_accepted(api, world, setup):
    firm, admin = setup
    name = f"Ærø Bygg & Søn 😀 {uuid.uuid4().hex[:6]}"
    r = await post_json(api, "/internal/v1/clients",
                        {"name": name, "registration_number": "", "country": "DK"},
                        world.internal)
    assert r.status_code == 201, r.text
    assert r.json()["name"] == name
    r = await api.get("/v1/clients", params={"q": "Ærø Bygg"}, headers=admin.headers)
    assert r.status_code == 200, r.text


@pytest.mark.parametrize("method", ["GET", "POST"])
async def test_unsubscribe_token_refuses_controls(api, method):
    r = await api.request(method, "/v1/unsubscribe?token=abc%00def")
    assert_refused(r, "query.token")
    assert (await api.request(method, "/v1/unsubscribe?token=abc")).status_code == 400
