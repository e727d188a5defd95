"""Seed the demo firm through the services' own routes and events (never their tables).

One firm with an admin and three bookkeepers (one Dutch-speaking) and about 200 clients:
active ones with assignments, invitations from the platform (company.bookkeeper_invited),
and clients invited through the portal that are onboarding. Running it again when the demo
firm exists does nothing. Writes `.run/demo/demo.json` and `.run/demo/active_clients.txt`.

Run: .venv/bin/python deploy/demo/seed_demo.py   (the services must be running)
"""

import asyncio
import json
import random
import sys
import uuid
from pathlib import Path

import httpx

from services.platform_simulator.domain.companies import new_company
from shared.events import encode
from shared.events.schemas import CompanyBookkeeperInvited
from shared.kafka.producer import EventProducer
from shared.settings import Settings
from shared.tokens import mint_staff_token
from shared.topics import PLATFORM_COMPANIES

CLIENTS_URL = "http://127.0.0.1:8001"
OUT = Path(".run/demo")
STAFF = [
    ("eva.jansen@vandijk-accountants.example", "Eva Jansen", "admin", "en"),
    ("daan.devries@vandijk-accountants.example", "Daan de Vries", "bookkeeper", "nl"),
    ("sophie.miller@vandijk-accountants.example", "Sophie Miller", "bookkeeper", "en"),
    ("lars.nielsen@vandijk-accountants.example", "Lars Nielsen", "bookkeeper", "en"),
]
ACTIVE, INVITATIONS, ONBOARDING = 160, 15, 25
FIXED_NAMES = [("Café Noir B.V.", "NL-81234567", "NL"), ("Ångström Consulting AB", "SE 556123-4567", "SE")]


class Seeder:
    def __init__(self, http: httpx.AsyncClient, settings: Settings):
        self.http = http
        self.settings = settings
        self.internal = {"Authorization": f"Bearer {settings.internal_api_token}"}
        self.admin: dict[str, str] = {}
        self.limit = asyncio.Semaphore(8)

    async def call(self, method: str, path: str, *, headers: dict, body: dict | None = None) -> dict:
        async with self.limit:
            response = await self.http.request(method, path, headers=headers, json=body)
        if response.status_code >= 400:
            raise SystemExit(f"{method} {path} -> {response.status_code}: {response.text}")
        return response.json() if response.content else {}

    async def active_client(self, firm_id: str, company: tuple[str, str, str]) -> str:
        name, number, country = company
        client = await self.call("POST", "/internal/v1/clients", headers=self.internal,
                                 body={"name": name, "registration_number": number,
                                       "country": country})
        await self.call("POST", f"/internal/v1/firms/{firm_id}/links", headers=self.internal,
                        body={"client_id": client["id"], "state": "active"})
        return client["id"]

    async def invite_through_portal(self, company: tuple[str, str, str], n: int) -> str:
        name, number, country = company
        result = await self.call("POST", "/v1/clients/invite", headers=self.admin,
                                 body={"name": name, "registration_number": number,
                                       "country": country,
                                       "contact_email": f"finance{n}@client.example"})
        return result["client_id"]

    async def assign(self, client_id: str, staff_ids: list[str]) -> None:
        await self.call("PUT", f"/v1/clients/{client_id}/assignees", headers=self.admin,
                        body={"staff_ids": staff_ids})


def companies(rng: random.Random, count: int, taken: set[str]) -> list[tuple[str, str, str]]:
    made = [new_company(rng, taken) for _ in range(count)]
    return [(c.name, c.registration_number, c.country) for c in made]


async def platform_invitations(settings: Settings, firm_id: str, batch: list) -> None:
    """Companies adding the firm as external bookkeeper arrive from the platform as events."""
    producer = EventProducer(settings.kafka_bootstrap_servers, client_id="demo-seed")
    await producer.start()
    try:
        for name, number, country in batch:
            client_id = uuid.uuid4()
            data = CompanyBookkeeperInvited(client_id=client_id, firm_id=uuid.UUID(firm_id),
                                            client_name=name, registration_number=number,
                                            country=country)
            await producer.send(PLATFORM_COMPANIES, encode(
                "company.bookkeeper_invited", data, source="/platform/companies",
                subject=str(client_id)))
    finally:
        await producer.stop()


async def already_seeded(http: httpx.AsyncClient, settings: Settings) -> bool:
    state = OUT / "demo.json"
    if not state.exists():
        return False
    admin_id = json.loads(state.read_text())["admin_id"]
    token = mint_staff_token(uuid.UUID(admin_id), settings.staff_keys)
    response = await http.get("/v1/me", headers={"Authorization": f"Bearer {token}"})
    return response.status_code == 200


async def seed(settings: Settings) -> None:
    rng = random.Random(2026)
    async with httpx.AsyncClient(base_url=CLIENTS_URL, timeout=30) as http:
        if await already_seeded(http, settings):
            print("demo firm already seeded (.run/demo/demo.json)")
            return
        seeder = Seeder(http, settings)
        firm = await seeder.call("POST", "/internal/v1/firms", headers=seeder.internal,
                                 body={"name": "Van Dijk & Partners Accountants"})
        staff = [await seeder.call("POST", f"/internal/v1/firms/{firm['id']}/staff",
                                   headers=seeder.internal,
                                   body={"email": e, "name": n, "role": r, "locale": loc})
                 for e, n, r, loc in STAFF]
        admin, bookkeepers = staff[0], staff[1:]
        token = mint_staff_token(uuid.UUID(admin["id"]), settings.staff_keys)
        seeder.admin = {"Authorization": f"Bearer {token}"}

        taken = {name for name, _, _ in FIXED_NAMES}
        active_companies = FIXED_NAMES + companies(rng, ACTIVE - len(FIXED_NAMES), taken)
        active = await asyncio.gather(*(seeder.active_client(firm["id"], c)
                                        for c in active_companies))
        onboarding = await asyncio.gather(*(seeder.invite_through_portal(c, n) for n, c in
                                            enumerate(companies(rng, ONBOARDING, taken))))
        await platform_invitations(settings, firm["id"], companies(rng, INVITATIONS, taken))

        # Round-robin over the bookkeepers; every fifth client gets two; a few stay unassigned.
        ids = [b["id"] for b in bookkeepers]
        plan = {c: [ids[i % 3]] + ([ids[(i + 1) % 3]] if i % 5 == 0 else [])
                for i, c in enumerate(active[:-10] + onboarding[:9])}
        await asyncio.gather(*(seeder.assign(c, s) for c, s in plan.items()))

    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "active_clients.txt").write_text("\n".join(active) + "\n")
    (OUT / "demo.json").write_text(json.dumps({
        "firm_id": firm["id"], "admin_id": admin["id"],
        "bookkeepers": {b["name"]: b["id"] for b in bookkeepers},
        "active": len(active), "onboarding": len(onboarding), "invitations": INVITATIONS,
    }, indent=2) + "\n")
    print(f"demo firm seeded: {len(active)} active, {len(onboarding)} onboarding, "
          f"{INVITATIONS} invitations, {len(plan)} assigned clients")


def main() -> None:
    settings = Settings()
    if settings.is_production:
        sys.exit("refusing to seed demo data with APP_ENV=production")
    asyncio.run(seed(settings))


if __name__ == "__main__":
    main()
