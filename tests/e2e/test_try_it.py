"""The README's "Try it" path, headless, against the running stack (`make up` or started here).

Seed the demo firm, give a new Dutch bookkeeper three new clients, send a burst of platform
events for them with the simulator, turn on weekly digests, produce the Monday 10:00 tick,
and find exactly one Dutch digest with the simulator's figures at MailDev's REST API.
"""

import asyncio
import json
import subprocess
import sys
import uuid
from datetime import datetime
from pathlib import Path

import asyncpg
import httpx
import pytest

from shared.tokens import mint_staff_token

ROOT = Path(__file__).resolve().parents[2]
CLIENTS, MAILDEV = "http://127.0.0.1:8001", "http://127.0.0.1:1080"
PORTAL = "http://127.0.0.1:8000"  # PUBLIC_BASE_URL: the links of emails open the portal
pytestmark = pytest.mark.e2e


def run(*args: str) -> str:
    done = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"{args} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def python(*args: str) -> str:
    return run(sys.executable, *args)


@pytest.fixture(scope="module")
def stack():
    """The stack of `make up`; what this fixture had to start, it stops again."""
    services_were_up = subprocess.run(["deploy/services.sh", "status"], cwd=ROOT,
                                      capture_output=True).returncode == 0
    maildev_was_up = subprocess.run(["deploy/maildev.sh", "status"], cwd=ROOT,
                                    capture_output=True).returncode == 0
    run("deploy/maildev.sh", "start")
    run("deploy/services.sh", "start")
    yield
    if not services_were_up:
        run("deploy/services.sh", "stop")
    if not maildev_was_up:
        run("deploy/maildev.sh", "stop")


async def until(probe, what: str, timeout: float = 60.0):
    """Poll `probe()` until it returns something truthy."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not (result := await probe()):
        assert asyncio.get_running_loop().time() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.25)
    return result


async def digests_to(http: httpx.AsyncClient, address: str) -> list[dict]:
    messages = (await http.get(f"{MAILDEV}/api/email")).json()
    return [m for m in messages if any(t["address"] == address for t in m["to"])]


async def test_seed_simulate_tick_and_read_the_dutch_digest(stack, settings, tmp_path):
    python("deploy/demo/seed_demo.py")
    demo = json.loads((ROOT / ".run/demo/demo.json").read_text())
    internal = {"Authorization": f"Bearer {settings.internal_api_token}"}
    admin = {"Authorization": f"Bearer {mint_staff_token(uuid.UUID(demo['admin_id']), settings.staff_keys)}"}
    email = f"bookkeeper-{uuid.uuid4().hex[:8]}@vandijk-accountants.example"

    async with httpx.AsyncClient(base_url=CLIENTS, timeout=30) as http:
        keeper = (await http.post(f"/internal/v1/firms/{demo['firm_id']}/staff", headers=internal,
                                  json={"email": email, "name": "Noor Bakker",
                                        "role": "bookkeeper", "locale": "nl"})).json()
        me = {"Authorization": f"Bearer {mint_staff_token(uuid.UUID(keeper['id']), settings.staff_keys)}"}
        names = {}
        for n in range(3):
            client = (await http.post("/internal/v1/clients", headers=internal, json={
                "name": f"Proef {uuid.uuid4().hex[:6]} B.V.", "registration_number": f"NL-{n}",
                "country": "NL"})).json()
            names[client["id"]] = client["name"]
            await http.post(f"/internal/v1/firms/{demo['firm_id']}/links", headers=internal,
                            json={"client_id": client["id"], "state": "active"})
            r = await http.put(f"/v1/clients/{client['id']}/assignees", headers=admin,
                               json={"staff_ids": [keeper["id"]]})
            assert r.status_code == 200, r.text

        client_ids = list(names)
        figures_file = tmp_path / "figures.json"
        python("-m", "services.platform_simulator", *[a for c in client_ids for a in ("--client-id", c)],
               "--events", "300", "--rate", "0", "--seed", str(uuid.uuid4().int % 10**6),
               "--figures-out", str(figures_file))
        expected = json.loads(figures_file.read_text())

        first_digest_at = None
        for client_id in client_ids:
            r = await http.put(f"/v1/clients/{client_id}/notifications", headers=me,
                               json={"email": True, "frequency": "weekly"})
            assert r.status_code == 200, r.text
            first_digest_at = r.json()["first_digest_at"]

        async def clients_api_caught_up():
            page = (await http.get("/v1/clients", headers=me, params={"tab": "my"})).json()
            return {i["id"]: (i["missing_receipts"], i["ready_for_export"],
                              (i["wallet_balance"] or {}).get("amount_minor"))
                    for i in page["items"]} == {c: tuple(expected[c][k] for k in (
                        "missing_receipts", "ready_for_export", "wallet_balance_minor"))
                                                for c in client_ids}
        await until(clients_api_caught_up, "the clients API to show the simulated figures")

    # The notifier consumes the same events on its own; wait until it has them too.
    conn = await asyncpg.connect(settings.database_url)
    try:
        async def notifier_caught_up():
            prefs = await conn.fetchval(
                "select count(*) from notifier.preferences where staff_id = $1 and email",
                uuid.UUID(keeper["id"]))
            missing = await conn.fetch(
                "select client_id::text, missing_receipts from notifier.task_figures"
                " where client_id = any($1::uuid[])", [uuid.UUID(c) for c in client_ids])
            return prefs == 3 and {r["client_id"]: r["missing_receipts"] for r in missing} == {
                c: expected[c]["missing_receipts"] for c in client_ids}
        await until(notifier_caught_up, "the notifier to have the settings and figures")
    finally:
        await conn.close()

    python("-m", "services.notifier.send_tick", "--at", first_digest_at)
    async with httpx.AsyncClient(timeout=10) as http:
        [digest] = await until(lambda: digests_to(http, email), "the digest at MailDev")
        python("-m", "services.notifier.send_tick", "--at", first_digest_at)  # the same tick again
        await asyncio.sleep(3)
        assert len(await digests_to(http, email)) == 1
        source = (await http.get(f"{MAILDEV}/api/email/{digest['id']}/source")).text

    assert digest["subject"].startswith("Je wekelijkse overzicht")
    assert "3 cliënten" in digest["subject"]
    assert digest["headers"]["content-language"] == "nl"
    assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in source
    assert datetime.fromisoformat(first_digest_at).weekday() == 0
    blocks = {block.split("\n", 1)[0]: block for block in digest["text"].split("\n\n")}
    for client_id, name in names.items():
        block = blocks[name]
        assert f"ontbrekende bonnen: {expected[client_id]['missing_receipts']}\n" in block
        assert f"uitgaven klaar voor export: {expected[client_id]['ready_for_export']}\n" in block
        assert f"Ga naar klant: {PORTAL}/clients/{client_id}" in block
