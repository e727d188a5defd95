"""Invitations, assignments, notification settings, Go to client (PRODUCT 5, 7, 8)."""

from datetime import UTC, datetime, timedelta
from uuid import UUID
from zoneinfo import ZoneInfo

import jwt
import pytest

from shared.tokens import SigningKeys, make_unsubscribe_token, read_client_access_grant
from tests.integration.http_errors import assert_error


async def test_accepting_an_invitation_makes_the_client_active_and_announces_it(api, world):
    firm = await world.firm()
    admin = await world.staff(firm, "admin")
    keeper = await world.staff(firm)
    client = await world.client(firm, "invitation_pending", name="Invited")
    assert_error(await api.post(f"/v1/invitations/{client}/accept", headers=keeper.headers), 403)
    r = await api.post(f"/v1/invitations/{client}/accept", headers=admin.headers)
    assert r.status_code == 200 and r.json()["link_state"] == "active"
    r = await api.post(f"/v1/invitations/{client}/accept", headers=admin.headers)
    assert r.status_code == 200  # a repeat is harmless
    assert_error(await api.post(f"/v1/invitations/{client}/decline", headers=admin.headers), 409)
    states = [e.data.link_state for e in await world.outbox(client, "client.upserted")]
    assert states == ["invitation_pending", "active"]


async def test_declined_invitation_leaves_every_tab(api, world):
    firm = await world.firm()
    admin = await world.staff(firm, "admin")
    client = await world.client(firm, "invitation_pending")
    r = await api.post(f"/v1/invitations/{client}/decline", headers=admin.headers)
    assert r.json()["link_state"] == "declined"
    assert (await api.get("/v1/clients/tabs", headers=admin.headers)).json()[0]["tab"] == "my"
    assert_error(await api.get(f"/v1/clients/{client}", headers=admin.headers), 404)


async def test_assignees_are_replaced_announced_and_listed(api, world):
    firm = await world.firm()
    admin = await world.staff(firm, "admin")
    ann, bob = await world.staff(firm, name="Ann"), await world.staff(firm, name="Bob")
    client = await world.client(firm)
    r = await api.put(f"/v1/clients/{client}/assignees",
                      json={"staff_ids": [str(bob.id), str(ann.id), str(ann.id)]},
                      headers=admin.headers)
    assert [a["name"] for a in r.json()["assignees"]] == ["Ann", "Bob"]
    await world.assign(admin, client, bob)
    await world.assign(admin, client, bob)  # unchanged: no new event
    events = await world.outbox(client, "client.assignees_changed")
    assert [sorted(e.data.staff_ids) for e in events] == [sorted([ann.id, bob.id]), [bob.id]]
    assert (await api.get(f"/v1/clients/{client}", headers=ann.headers)).status_code == 404
    assert_error(await api.put(f"/v1/clients/{client}/assignees", json={"staff_ids": []},
                               headers=bob.headers), 403)
    assert_error(await api.put(f"/v1/clients/{client}/assignees", json={"staff_ids": "x"},
                               headers=admin.headers), 422)


def next_monday_ten(now: datetime) -> datetime:
    local = now.astimezone(ZoneInfo("Europe/Copenhagen"))
    for days in range(0, 8):
        day = (local + timedelta(days=days)).date()
        candidate = datetime(day.year, day.month, day.day, 10, tzinfo=ZoneInfo("Europe/Copenhagen"))
        if day.weekday() == 0 and candidate > now:
            return candidate
    raise AssertionError


async def test_notification_settings_answer_with_the_first_monday_digest(api, world):
    firm = await world.firm()
    admin = await world.staff(firm, "admin")
    client = await world.client(firm)
    url = f"/v1/clients/{client}/notifications"
    r = await api.get(url, headers=admin.headers)
    assert r.json()["email"] is False and r.json()["first_digest_at"] is None
    before = datetime.now(UTC)
    r = await api.put(url, json={"email": True, "frequency": "daily"}, headers=admin.headers)
    assert r.status_code == 200
    first = datetime.fromisoformat(r.json()["first_digest_at"])
    assert first == next_monday_ten(before)
    assert first.astimezone(ZoneInfo("Europe/Copenhagen")).hour == 10
    r = await api.put(url, json={"email": True, "frequency": "monthly"}, headers=admin.headers)
    assert datetime.fromisoformat(r.json()["first_digest_at"]) == first  # kept while on
    assert (await api.get(url, headers=admin.headers)).json()["frequency"] == "monthly"
    r = await api.put(url, json={"email": False}, headers=admin.headers)
    assert r.json()["first_digest_at"] is None and r.json()["frequency"] == "monthly"
    events = await world.outbox(client, "notification.preference_changed")
    assert [(e.data.email, e.data.frequency) for e in events] == [
        (True, "daily"), (True, "monthly"), (False, "monthly")]
    assert events[0].data.first_digest_at == events[1].data.first_digest_at == first
    item = (await api.get(f"/v1/clients/{client}", headers=admin.headers)).json()
    assert item["notifications"]["email"] is False


@pytest.mark.parametrize("body", [{"email": "yes"}, {"frequency": "daily"},
                                  {"email": True, "frequency": "hourly"}, []])
async def test_bad_notification_settings_are_422(api, world, body):
    firm = await world.firm()
    admin = await world.staff(firm, "admin")
    client = await world.client(firm)
    assert_error(await api.put(f"/v1/clients/{client}/notifications", json=body,
                               headers=admin.headers), 422)


async def test_one_click_unsubscribe_turns_email_off_once_and_get_changes_nothing(api, world,
                                                                                runtime):
    firm = await world.firm()
    keeper = await world.staff(firm, "admin", locale="nl")
    a, b = await world.client(firm), await world.client(firm)
    for client in (a, b):
        await api.put(f"/v1/clients/{client}/notifications", json={"email": True},
                      headers=keeper.headers)
    token = make_unsubscribe_token(keeper.id, [a, b], runtime.settings.unsubscribe_keys)
    page = await api.get("/v1/unsubscribe", params={"token": token})
    assert page.status_code == 200 and "Afmelden" in page.text
    assert (await api.get(f"/v1/clients/{a}/notifications",
                          headers=keeper.headers)).json()["email"] is True
    r = await api.post("/v1/unsubscribe", params={"token": token},
                       data={"List-Unsubscribe": "One-Click"})
    assert r.status_code == 200 and sorted(r.json()["turned_off"]) == sorted(map(str, [a, b]))
    again = await api.post("/v1/unsubscribe", params={"token": token},
                           data={"List-Unsubscribe": "One-Click"})
    assert again.status_code == 200 and again.json()["turned_off"] == []
    for client in (a, b):
        assert (await api.get(f"/v1/clients/{client}/notifications",
                              headers=keeper.headers)).json()["email"] is False
        offs = [e for e in await world.outbox(client, "notification.preference_changed")
                if not e.data.email]
        assert len(offs) == 1


@pytest.mark.parametrize("method", ["GET", "POST"])
async def test_unsubscribe_with_a_bad_token_is_400(api, runtime, method):
    keys = runtime.settings.unsubscribe_keys
    forged = make_unsubscribe_token(UUID(int=1), [UUID(int=2)],
                                    SigningKeys(keys.kid, "another-secret" + "x" * 30))
    # Signed with the staff key: another purpose's key never opens an unsubscribe link.
    staff_signed = make_unsubscribe_token(UUID(int=1), [UUID(int=2)], runtime.settings.staff_keys)
    staff_token = jwt.encode({"sub": "x"}, runtime.settings.auth_jwt_secret, "HS256")
    for params in ({}, {"token": "garbage"}, {"token": forged}, {"token": staff_signed},
                   {"token": staff_token}):
        assert_error(await api.request(method, "/v1/unsubscribe", params=params), 400)


async def test_go_to_client_grants_five_minutes_audited_and_announced(api, world, runtime):
    firm = await world.firm()
    admin, keeper = await world.staff(firm, "admin"), await world.staff(firm)
    client = await world.client(firm)
    await world.assign(admin, client, keeper)
    r = await api.post(f"/v1/clients/{client}/access", headers=keeper.headers)
    assert r.status_code == 201, r.text
    body = r.json()
    claims = read_client_access_grant(body["token"], runtime.settings.grant_keys)
    assert jwt.get_unverified_header(body["token"])["kid"] == runtime.settings.grant_signing_kid
    assert claims["client_id"] == str(client) and claims["staff_id"] == str(keeper.id)
    assert claims["exp"] - claims["iat"] == 300 and claims["jti"] == body["grant_id"]
    assert body["url"].startswith(f"{runtime.settings.client_account_base_url}/{client}?")
    audit = await world.pool.fetchrow(
        "select staff_id, action from clients.audit_log where client_id = $1"
        " and action = 'client.accessed'", client)
    assert audit["staff_id"] == keeper.id
    [event] = await world.outbox(client, "client.accessed")
    assert str(event.data.grant_id) == body["grant_id"]


async def test_go_to_client_only_for_active_clients(api, world):
    firm = await world.firm()
    admin = await world.staff(firm, "admin")
    pending = await world.client(firm, "invitation_pending")
    onboarding = await world.client(firm)
    await world.set_state(firm, onboarding, "onboarding")
    for client in (pending, onboarding):
        assert_error(await api.post(f"/v1/clients/{client}/access", headers=admin.headers), 404)
    assert await world.outbox(pending, "client.accessed") == []


async def test_admins_list_the_active_staff_of_their_own_firm_only(api, world):
    firm, other = await world.firm(), await world.firm()
    admin = await world.staff(firm, "admin", name="Zoe Admin")
    ann, gone = await world.staff(firm, name="Ann"), await world.staff(firm, name="Gone")
    await world.staff(other, name="Elsewhere")
    r = await api.patch(f"/internal/v1/staff/{gone.id}", json={"active": False},
                        headers=world.internal)
    assert r.status_code == 200
    r = await api.get("/v1/staff", headers=admin.headers)
    assert r.status_code == 200
    assert [(s["name"], s["role"]) for s in r.json()["items"]] == [
        ("Ann", "bookkeeper"), ("Zoe Admin", "admin")]
    assert r.json()["items"][0]["id"] == str(ann.id)
    assert_error(await api.get("/v1/staff", headers=ann.headers), 403)
    assert_error(await api.get("/v1/staff"), 401)
