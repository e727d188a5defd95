"""Who gets in (401s), and which tabs with which counts each role sees (PRODUCT section 2)."""

import uuid
from datetime import UTC, datetime, timedelta

import httpx
import jwt
import pytest

from services.clients.app import create_app
from services.clients.runtime import Runtime
from services.clients.settings import ClientsSettings
from shared.tokens import SigningKeys, mint_staff_token
from tests.integration.http_errors import assert_error


async def test_staff_routes_refuse_missing_expired_forged_and_unknown_tokens(api, world,
                                                                          runtime):
    firm = await world.firm()
    admin = await world.staff(firm, "admin")
    keys = runtime.settings.staff_keys
    secret = keys.secret
    expired = mint_staff_token(admin.id, keys, now=datetime.now(UTC) - timedelta(days=2))
    forged = mint_staff_token(admin.id, SigningKeys(keys.kid, "not-the-secret-" + "x" * 32))
    unknown = mint_staff_token(uuid.uuid4(), keys)
    claims = {"sub": str(admin.id), "iss": "partner-portal", "aud": "partner-portal",
              "exp": datetime.now(UTC) + timedelta(hours=1)}
    wrong_aud = jwt.encode({**claims, "aud": "other"}, secret, "HS256")
    unknown_kid = jwt.encode(claims, secret, "HS256", headers={"kid": "no-such-key"})
    grant_signed = mint_staff_token(admin.id, runtime.settings.grant_keys)
    for headers in ({}, {"Authorization": "Bearer"}, {"Authorization": "Basic abc"},
                    {"Authorization": f"Bearer {expired}"}, {"Authorization": f"Bearer {forged}"},
                    {"Authorization": f"Bearer {unknown}"},
                    {"Authorization": f"Bearer {wrong_aud}"},
                    {"Authorization": f"Bearer {unknown_kid}"},
                    {"Authorization": f"Bearer {grant_signed}"}):
        for path in ("/v1/me", "/v1/clients", "/v1/clients/tabs"):
            assert_error(await api.get(path, headers=headers), 401)
    assert (await api.get("/v1/me", headers=admin.headers)).status_code == 200
    # The platform's tokens (ARCHITECTURE "HTTP contract") carry no kid: the current key.
    platform = jwt.encode(claims, secret, "HS256")
    assert "kid" not in jwt.get_unverified_header(platform)
    me = await api.get("/v1/me", headers={"Authorization": f"Bearer {platform}"})
    assert me.status_code == 200, me.text


async def test_deactivated_staff_is_refused_at_once(api, world):
    firm = await world.firm()
    keeper = await world.staff(firm)
    assert (await api.get("/v1/me", headers=keeper.headers)).status_code == 200
    r = await api.patch(f"/internal/v1/staff/{keeper.id}", json={"active": False},
                        headers=world.internal)
    assert r.status_code == 200 and r.json()["active"] is False
    assert_error(await api.get("/v1/me", headers=keeper.headers), 401)


async def test_role_and_firm_come_from_the_database_not_the_token(api, world):
    firm = await world.firm()
    staff = await world.staff(firm, "bookkeeper")
    assert (await api.get("/v1/me", headers=staff.headers)).json()["role"] == "bookkeeper"
    await api.patch(f"/internal/v1/staff/{staff.id}", json={"role": "admin"},
                    headers=world.internal)
    me = (await api.get("/v1/me", headers=staff.headers)).json()
    assert me["role"] == "admin" and me["firm_id"] == str(firm)


async def test_internal_routes_need_the_internal_token(api, world):
    firm = await world.firm()
    admin = await world.staff(firm, "admin")
    for headers in ({}, {"Authorization": "Bearer wrong"}, admin.headers):
        assert_error(await api.post("/internal/v1/firms", json={"name": "X"}, headers=headers),
                     401)


@pytest.mark.parametrize("body", [
    {"email": "not-an-email", "name": "A", "role": "admin", "locale": "en"},
    {"email": "a@b.dk", "name": "A", "role": "owner", "locale": "en"},
    {"email": "a@b.dk", "name": "A", "role": "admin", "locale": "de"},
    {"email": "a@b.dk", "name": "", "role": "admin", "locale": "en"},
    {"name": "A", "role": "admin"},
])
async def test_staff_creation_validates_its_input(api, world, body):
    firm = await world.firm()
    assert_error(await api.post(f"/internal/v1/firms/{firm}/staff", json=body,
                                headers=world.internal), 422)


async def test_staff_of_unknown_firm_is_404_and_duplicate_email_409(api, world):
    body = {"email": "dup@firm.example", "name": "A", "role": "admin", "locale": "nl"}
    assert_error(await api.post(f"/internal/v1/firms/{uuid.uuid4()}/staff", json=body,
                                headers=world.internal), 404)
    firm = await world.firm()
    await world.post_internal(f"/internal/v1/firms/{firm}/staff", body)
    body["email"] = "DUP@firm.example"
    assert_error(await api.post(f"/internal/v1/firms/{firm}/staff", json=body,
                                headers=world.internal), 409)


async def test_staff_creation_is_announced(world):
    firm = await world.firm()
    staff = await world.staff(firm, "admin", locale="nl")
    [event] = await world.outbox(staff.id, "staff.upserted")
    assert event.data.firm_id == firm and event.data.role == "admin"
    assert event.data.locale == "nl" and event.data.active is True


async def tabs(api, staff) -> dict:
    r = await api.get("/v1/clients/tabs", headers=staff.headers)
    assert r.status_code == 200, r.text
    return {t["tab"]: t["count"] for t in r.json()}


async def tab_order(api, staff) -> list:
    return [t["tab"] for t in (await api.get("/v1/clients/tabs", headers=staff.headers)).json()]


async def test_admin_sees_my_and_all_and_only_non_empty_invitations_and_onboarding(api, world):
    firm = await world.firm()
    admin = await world.staff(firm, "admin")
    keeper = await world.staff(firm)
    assert await tab_order(api, admin) == ["my", "all"]
    assert await tabs(api, admin) == {"my": 0, "all": 0}
    active = [await world.client(firm) for _ in range(3)]
    await world.assign(admin, active[0], admin)
    await world.assign(admin, active[1], keeper)
    await world.client(firm, "invitation_pending")
    onboarding = await world.client(firm)
    await world.set_state(firm, onboarding, "onboarding")
    declined = await world.client(firm)
    await world.set_state(firm, declined, "declined")
    assert await tab_order(api, admin) == ["invitations", "onboarding", "my", "all"]
    assert await tabs(api, admin) == {"invitations": 1, "onboarding": 1, "my": 1, "all": 3}


async def test_bookkeeper_sees_my_and_onboarding_only_for_assigned_clients(api, world):
    firm = await world.firm()
    admin = await world.staff(firm, "admin")
    keeper = await world.staff(firm)
    mine = await world.client(firm)
    await world.client(firm)  # active, not assigned
    await world.client(firm, "invitation_pending")
    assert await tab_order(api, keeper) == ["my"]
    assert await tabs(api, keeper) == {"my": 0}
    await world.assign(admin, mine, keeper)
    unassigned_onboarding = await world.client(firm)
    await world.set_state(firm, unassigned_onboarding, "onboarding")
    assert await tabs(api, keeper) == {"my": 1}
    onboarding = await world.client(firm)
    await world.assign(admin, onboarding, keeper)
    await world.set_state(firm, onboarding, "onboarding")
    assert await tab_order(api, keeper) == ["onboarding", "my"]
    assert await tabs(api, keeper) == {"onboarding": 1, "my": 1}


@pytest.mark.parametrize("tab", ["invitations", "all"])
async def test_bookkeeper_asking_for_an_admin_tab_is_forbidden(api, world, tab):
    firm = await world.firm()
    keeper = await world.staff(firm)
    assert_error(await api.get("/v1/clients", params={"tab": tab}, headers=keeper.headers),
                 403)


async def test_tab_lists_hold_exactly_what_the_counts_say(api, world):
    firm = await world.firm()
    admin = await world.staff(firm, "admin")
    pending = await world.client(firm, "invitation_pending", name="Pending")
    onboarding = await world.client(firm, name="Onboarding")
    await world.set_state(firm, onboarding, "onboarding")
    active = await world.client(firm, name="Active")
    await world.assign(admin, active, admin)
    expected = {"invitations": [pending], "onboarding": [onboarding], "my": [active],
                "all": [active]}
    for tab, ids in expected.items():
        r = await api.get("/v1/clients", params={"tab": tab}, headers=admin.headers)
        items = r.json()["items"]
        assert [i["id"] for i in items] == [str(i) for i in ids]
        assert items[0]["tab"] == ("my" if tab in ("my", "all") else tab)


async def test_the_list_follows_role_changes_and_deactivation_at_once(api, world):
    """The list plans a page for the staff member as last seen; the database decides."""
    firm = await world.firm()
    staff = await world.staff(firm, "bookkeeper")
    admin = await world.staff(firm, "admin")
    client = await world.client(firm)

    async def change(**fields) -> None:
        r = await api.patch(f"/internal/v1/staff/{staff.id}", json=fields,
                            headers=world.internal)
        assert r.status_code == 200

    all_tab = {"tab": "all"}
    assert_error(await api.get("/v1/clients", params=all_tab, headers=staff.headers), 403)
    await change(role="admin")
    r = await api.get("/v1/clients", params=all_tab, headers=staff.headers)
    assert r.status_code == 200 and [i["id"] for i in r.json()["items"]] == [str(client)]
    await change(role="bookkeeper")
    assert_error(await api.get("/v1/clients", params=all_tab, headers=staff.headers), 403)
    assert (await api.get("/v1/clients", headers=staff.headers)).json()["items"] == []
    await change(active=False)
    for params in ({}, all_tab, {"limit": "0"}, {"tab": "nope"}):
        assert_error(await api.get("/v1/clients", params=params, headers=staff.headers), 401)
    err = assert_error(await api.get("/v1/clients", params={"limit": "0", "tab": "nope"},
                                     headers=admin.headers), 422)
    assert {d["location"] for d in err["details"]} == {"query.limit", "query.tab"}


async def test_production_mode_refuses_development_tokens(runtime, pool, world):
    firm = await world.firm()
    admin = await world.staff(firm, "admin")
    production = ClientsSettings(
        app_env="production", auth_jwt_secret="production-secret-" + "p" * 32,
        grant_signing_key="production-grant-" + "g" * 32,
        unsubscribe_signing_key="production-unsubscribe-" + "u" * 32,
        internal_api_token="prod-internal-" + "i" * 32,
        verification_webhook_secret="prod-hook-" + "h" * 32)
    dev_token = {"Authorization": f"Bearer {mint_staff_token(admin.id, production.staff_keys)}"}
    app = create_app(runtime=Runtime(settings=production, pool=pool))
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://clients") as prod:
        error = assert_error(await prod.get("/v1/me", headers=dev_token), 401)
    assert "production" in error["message"]
