"""Bad input on every route is a 4xx JSON error in the one shape, never a 500."""

import uuid

import pytest

from tests.integration.http_errors import assert_error

BODIES = [b"{not json", b"[]", b"null", b'{"unexpected": true}', b'"text"']


@pytest.fixture
async def setup(world):
    firm = await world.firm()
    admin = await world.staff(firm, "admin")
    client = await world.client(firm)
    pending = await world.client(firm, "invitation_pending")
    return firm, admin, client, pending


def body_routes(firm, client, pending):
    return [
        ("POST", "/internal/v1/firms", "internal"),
        ("POST", f"/internal/v1/firms/{firm}/staff", "internal"),
        ("PATCH", f"/internal/v1/staff/{uuid.uuid4()}", "internal"),
        ("POST", "/internal/v1/clients", "internal"),
        ("POST", f"/internal/v1/firms/{firm}/links", "internal"),
        ("POST", "/v1/clients/invite", "admin"),
        ("PUT", f"/v1/clients/{client}/assignees", "admin"),
        ("PUT", f"/v1/clients/{client}/notifications", "admin"),
        ("POST", f"/v1/clients/{client}/reminders", "admin"),
    ]


async def test_malformed_bodies_are_4xx_json_on_every_route(api, world, setup):
    firm, admin, client, pending = setup
    for method, path, who in body_routes(firm, client, pending):
        headers = {"Content-Type": "application/json",
                   **(world.internal if who == "internal" else admin.headers)}
        for raw in BODIES:
            r = await api.request(method, path, content=raw, headers=headers)
            if r.status_code == 404 and "staff" in path:  # PATCH of unknown staff: ok
                continue
            assert 400 <= r.status_code < 500, (method, path, raw, r.status_code, r.text)
            assert_error(r, r.status_code)


async def test_malformed_ids_in_paths_are_422_everywhere(api, world, setup):
    firm, admin, _, _ = setup
    for method, path in [("GET", "/v1/clients/x"), ("GET", "/v1/clients/x/notifications"),
                         ("PUT", "/v1/clients/x/notifications"), ("POST", "/v1/clients/x/access"),
                         ("PUT", "/v1/clients/x/assignees"), ("GET", "/v1/clients/x/reminders"),
                         ("POST", "/v1/clients/x/reminders"),
                         ("POST", "/v1/invitations/x/accept"),
                         ("POST", "/v1/invitations/x/decline")]:
        assert_error(await api.request(method, path, json={}, headers=admin.headers), 422)
    for path in ("/internal/v1/firms/x/staff", "/internal/v1/firms/x/links"):
        assert_error(await api.post(path, json={}, headers=world.internal), 422)


async def test_links_to_unknown_firms_or_clients_and_bad_states(api, world, setup):
    firm, _, client, _ = setup
    cases = [(f"/internal/v1/firms/{uuid.uuid4()}/links", {"client_id": str(client),
                                                           "state": "active"}, 404),
             (f"/internal/v1/firms/{firm}/links", {"client_id": str(uuid.uuid4()),
                                                   "state": "active"}, 404),
             (f"/internal/v1/firms/{firm}/links", {"client_id": str(client),
                                                   "state": "onboarding"}, 422),
             (f"/internal/v1/firms/{firm}/links", {"client_id": str(client),
                                                   "state": "invitation_pending"}, 409)]
    for path, body, status in cases:
        assert_error(await api.post(path, json=body, headers=world.internal), status)
    r = await api.post(f"/internal/v1/firms/{firm}/links",
                       json={"client_id": str(client), "state": "active"},
                       headers=world.internal)
    assert r.status_code == 200  # the same link again is harmless


async def test_unknown_routes_and_methods_answer_in_the_error_shape(api, setup):
    _, admin, _, _ = setup
    assert_error(await api.get("/v1/nothing-here", headers=admin.headers), 404)
    assert_error(await api.delete("/v1/clients/tabs", headers=admin.headers), 405)


async def test_empty_idempotency_key_is_refused(api, setup):
    _, admin, client, _ = setup
    assert_error(await api.post(f"/v1/clients/{client}/reminders",
                                json={"tasks": ["missing_receipts"]},
                                headers={**admin.headers, "Idempotency-Key": ""}), 422)
