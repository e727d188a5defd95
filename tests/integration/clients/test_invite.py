"""Inviting a client through the portal while the onboarding service is down, then up.

The onboarding service here is the real one (services.onboarding.app) served over HTTP on
a free port, started only after the invite, with its events on a topic of this test.
"""

import asyncio
import hashlib
import hmac
import json
import socket
from uuid import UUID

import httpx
import pytest
import uvicorn

from services.clients.consumers.wiring import build_consumer
from services.clients.workers.case_opener import CaseOpener, backoff_seconds
from services.onboarding.app import create_app as create_onboarding_app
from services.onboarding.settings import OnboardingSettings
from tests.integration.http_errors import assert_error

INVITE = {"name": "Nieuwe Klant B.V.", "registration_number": "NL-123", "country": "nl",
          "contact_email": "owner@nieuw.example"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def opening(pool, case_id: UUID):
    return await pool.fetchrow("select attempts, last_error, opened_at from"
                               " clients.case_openings where case_id = $1", case_id)


async def keep_to_ourselves(pool, case_id: UUID) -> None:
    """Other test sessions may run a case opener on this database: keep it off our row by
    making it due only far in the future; this test drives it with open_next(case_id)."""
    await pool.execute("update clients.case_openings set next_attempt_at = now() + '1 day'"
                       " where case_id = $1", case_id)


@pytest.mark.parametrize("body", [
    {**INVITE, "contact_email": "nope"}, {**INVITE, "country": "Netherlands"},
    {**INVITE, "name": ""}, {**INVITE, "registration_number": ""},
    {k: v for k, v in INVITE.items() if k != "name"},
])
async def test_bad_invites_are_422(api, world, body):
    firm = await world.firm()
    admin = await world.staff(firm, "admin")
    assert_error(await api.post("/v1/clients/invite", json=body, headers=admin.headers), 422)


async def test_only_admins_invite(api, world):
    firm = await world.firm()
    keeper = await world.staff(firm)
    assert_error(await api.post("/v1/clients/invite", json=INVITE, headers=keeper.headers), 403)


async def test_invite_succeeds_while_onboarding_is_down_and_the_case_opens_once_back(
        api, world, runtime, clients_settings, settings, producer, make_topics, unique):
    port = free_port()
    rt_settings = clients_settings.model_copy(update={
        "onboarding_base_url": f"http://127.0.0.1:{port}", "case_opener_timeout_seconds": 2})
    firm = await world.firm()
    admin = await world.staff(firm, "admin")
    r = await api.post("/v1/clients/invite", json=INVITE, headers=admin.headers)
    assert r.status_code == 201, r.text
    client_id, case_id = UUID(r.json()["client_id"]), UUID(r.json()["case_id"])
    tabs = (await api.get("/v1/clients/tabs", headers=admin.headers)).json()
    assert {"tab": "onboarding", "count": 1} in tabs
    [announced] = await world.outbox(client_id, "client.upserted")
    assert announced.data.link_state == "onboarding"

    opener = CaseOpener(world.pool, rt_settings)
    try:
        assert await opener.open_next(case_id)
        down = await opening(world.pool, case_id)
        assert down["opened_at"] is None and "Connect" in down["last_error"]

        topic = f"test.clients.{unique}.verification"
        await make_topics(topic)
        onboarding = create_onboarding_app(OnboardingSettings(
            app_env="test", verification_topic=topic, outbox_poll_interval_seconds=0.1),
            run_expiry_job=False)
        server = uvicorn.Server(uvicorn.Config(onboarding, host="127.0.0.1", port=port,
                                               log_level="warning"))
        serving = asyncio.create_task(server.serve())
        consumer = build_consumer(runtime.settings, runtime.unit_of_work, producer,
                                  group_id=f"test.clients.{unique}", topics=[topic])
        await consumer.start()
        try:
            while not server.started:
                await asyncio.sleep(0.05)
            assert await opener.open_next(case_id)
            opened = await opening(world.pool, case_id)
            assert opened["opened_at"] is not None and opened["attempts"] == 2
            assert not await opener.open_next(case_id)  # opened: never called again
            base = f"http://127.0.0.1:{port}"
            async with httpx.AsyncClient(base_url=base) as http:
                internal = {"Authorization": f"Bearer {settings.internal_api_token}"}
                case = (await http.get(f"/internal/v1/cases/{case_id}", headers=internal)).json()
                assert case["client_id"] == str(client_id) and case["firm_id"] == str(firm)
                # nothing opened twice: the same call again names the same case
                again = await http.post("/internal/v1/cases", headers=internal, json={
                    "client_id": str(client_id), "firm_id": str(firm),
                    "contact_email": INVITE["contact_email"]})
                assert again.json()["case_id"] == str(case_id)
                # the provider approves: the client moves from Onboarding to All
                for event in ("submitted", "approved"):
                    raw = json.dumps({"case_id": str(case_id), "event": event}).encode()
                    digest = hmac.new(settings.verification_webhook_secret.encode(), raw,
                                      hashlib.sha256).hexdigest()
                    hook = await http.post("/webhooks/verification", content=raw, headers={
                        "Content-Type": "application/json", "X-Signature": f"sha256={digest}"})
                    assert hook.status_code < 300, hook.text
            for _ in range(100):
                item = (await api.get(f"/v1/clients/{client_id}", headers=admin.headers)).json()
                if item["link_state"] == "active":
                    break
                await asyncio.sleep(0.1)
            assert item["link_state"] == "active" and item["tab"] == "all"
        finally:
            await consumer.stop()
            server.should_exit = True
            await serving
    finally:
        await opener.stop()


def test_backoff_doubles_up_to_its_cap():
    assert [backoff_seconds(n, 10) for n in range(1, 7)] == [1, 2, 4, 8, 10, 10]
