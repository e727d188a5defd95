"""A firm never sees, counts or changes anything of another firm (PRODUCT section 1)."""

import uuid

import pytest

from tests.integration.http_errors import assert_error


@pytest.fixture
async def two_firms(world):
    ours, theirs = await world.firm("Ours"), await world.firm("Theirs")
    admin, keeper = await world.staff(ours, "admin"), await world.staff(ours)
    their_admin, their_keeper = await world.staff(theirs, "admin"), await world.staff(theirs)
    active = await world.client(theirs, name="Secret Active")
    await world.assign(their_admin, active, their_keeper)
    await world.figures(active, missing=2, balance=500)
    pending = await world.client(theirs, "invitation_pending", name="Secret Pending")
    onboarding = await world.client(theirs, name="Secret Onboarding")
    await world.set_state(theirs, onboarding, "onboarding")
    return {"admin": admin, "keeper": keeper, "their_keeper": their_keeper,
            "clients": [active, pending, onboarding], "their_admin": their_admin}


def per_client_calls(client_id, staff_ids):
    base = f"/v1/clients/{client_id}"
    return [
        ("GET", base, None), ("GET", f"{base}/notifications", None),
        ("PUT", f"{base}/notifications", {"email": True, "frequency": "daily"}),
        ("PUT", f"{base}/assignees", {"staff_ids": staff_ids}),
        ("POST", f"{base}/reminders", {"tasks": ["missing_receipts"]}),
        ("GET", f"{base}/reminders", None), ("POST", f"{base}/access", None),
        ("POST", f"/v1/invitations/{client_id}/accept", None),
        ("POST", f"/v1/invitations/{client_id}/decline", None),
    ]


async def test_every_per_client_route_answers_404_for_another_firms_client(api, world,
                                                                          two_firms):
    admin = two_firms["admin"]
    for client_id in two_firms["clients"]:
        for method, path, body in per_client_calls(client_id, [str(two_firms["admin"].id)]):
            r = await api.request(method, path, json=body, headers=admin.headers)
            assert_error(r, 404)
    # nothing was changed on their side
    assert await world.outbox(two_firms["clients"][0], "client.assignees_changed") != []
    assert await world.outbox(two_firms["clients"][0], "notification.preference_changed") == []
    assert await world.outbox(two_firms["clients"][0], "client.accessed") == []
    link_states = await world.pool.fetch(
        "select state from clients.links where client_id = any($1::uuid[]) order by state",
        two_firms["clients"])
    assert [r["state"] for r in link_states] == ["active", "invitation_pending", "onboarding"]


async def test_lists_counts_and_searches_never_show_another_firms_clients(api, two_firms):
    admin, keeper = two_firms["admin"], two_firms["keeper"]
    for tab in ("invitations", "onboarding", "my", "all"):
        for q in (None, "secret"):
            params = {"tab": tab, **({"q": q} if q else {})}
            r = await api.get("/v1/clients", params=params, headers=admin.headers)
            assert r.json()["items"] == []
    tabs = (await api.get("/v1/clients/tabs", headers=admin.headers)).json()
    assert tabs == [{"tab": "my", "count": 0}, {"tab": "all", "count": 0}]
    assert (await api.get("/v1/clients/tabs", headers=keeper.headers)).json() == [
        {"tab": "my", "count": 0}]
    their = str(two_firms["their_keeper"].id)
    r = await api.get("/v1/clients", params={"tab": "all", "assignee": their},
                      headers=admin.headers)
    assert r.json()["items"] == []


async def test_staff_of_another_firm_cannot_be_assigned(api, world, two_firms):
    admin = two_firms["admin"]
    ours = await world.client(admin.firm_id)
    for staff_ids in ([str(two_firms["their_keeper"].id)], [str(uuid.uuid4())]):
        err = assert_error(await api.put(f"/v1/clients/{ours}/assignees",
                                         json={"staff_ids": staff_ids},
                                         headers=admin.headers), 422)
        assert err["details"]["staff_ids"] == staff_ids


async def test_bookkeeper_sees_only_assigned_clients_and_gets_404_for_the_rest(api, world):
    firm = await world.firm()
    admin, keeper = await world.staff(firm, "admin"), await world.staff(firm)
    assigned, other = await world.client(firm, name="Assigned"), await world.client(firm)
    await world.assign(admin, assigned, keeper)
    assert (await api.get(f"/v1/clients/{assigned}", headers=keeper.headers)).status_code == 200
    for path in (f"/v1/clients/{other}", f"/v1/clients/{other}/notifications"):
        assert_error(await api.get(path, headers=keeper.headers), 404)
    assert_error(await api.post(f"/v1/clients/{other}/access", headers=keeper.headers), 404)
    r = await api.get("/v1/clients", params={"q": ""}, headers=keeper.headers)
    assert [i["name"] for i in r.json()["items"]] == ["Assigned"]
