"""One running world for the browser tests: clients + onboarding + notifier + portal + SMTP sink.

Started once for the package (about 15 s), seeded through the public and internal APIs with
one firm: an English admin, a Dutch bookkeeper (Daan) and an English one, 130 active clients,
one invitation and one client in onboarding. Each test opens its own browser context (its own
cookies) on one shared headless Chromium.
"""

import asyncio
import json
import uuid
from dataclasses import dataclass, field

import asyncpg
import httpx
import pytest
from playwright.async_api import async_playwright

from shared.db.migrate import migrate_all
from shared.kafka.producer import EventProducer
from tests.e2e.browser import launch
from tests.e2e.portal_web import PortalWeb, WiredStack
from tests.integration.notifier.factories import expense_created
from tests.integration.notifier.process import NotifierProcess
from tests.integration.notifier.smtp_sink import SmtpSink

FILLERS = 125
# Missing receipts per named client: "Most missing receipts" puts Bakkerij Bos first.
MISSING = {"Bakkerij Bos": 3, "Café Noir B.V.": 2, "Garage Groen": 1}
NAMED = ["Aardappelhandel Abel B.V.", "Café Noir B.V.", "Zeilmakerij Zuid V.O.F.",
         "Bakkerij Bos", "Garage Groen"]
DAAN_CLIENTS = ["Café Noir B.V.", "Bakkerij Bos", "Garage Groen"]
INVITED = "Uitnodiging Ulrich B.V."
ONBOARDING = "Onboarding Olsen B.V."


@dataclass
class Person:
    id: str
    name: str
    email: str
    locale: str


@dataclass
class World:
    stack: WiredStack
    web: PortalWeb
    sink: SmtpSink
    http: httpx.AsyncClient
    firm_id: str
    admin: Person
    daan: Person
    sophie: Person
    clients: dict[str, str] = field(default_factory=dict)  # name -> id (active ones)
    invited_id: str = ""

    @property
    def url(self) -> str:
        return self.web.url

    def api_headers(self, person: Person) -> dict[str, str]:
        return self.stack.staff_headers(person.id)

    async def api(self, person: Person, path: str, **params) -> object:
        answer = await self.http.get(f"{self.stack.url('clients')}{path}", params=params,
                                     headers=self.api_headers(person))
        assert answer.status_code == 200, answer.text
        return answer.json()


async def _post(http, url, headers, body, status=201) -> dict:
    answer = await http.post(url, headers=headers, json=body)
    assert answer.status_code == status, f"POST {url}: {answer.status_code} {answer.text}"
    return answer.json() if answer.content else {}


async def _seed(stack: WiredStack, http: httpx.AsyncClient, producer: EventProducer) -> dict:
    base, internal = stack.url("clients"), stack.internal_headers
    tag = uuid.uuid4().hex[:6]
    firm = await _post(http, f"{base}/internal/v1/firms", internal,
                       {"name": f"Van Dijk Browser {tag}"})
    people = {}
    for key, name, role, locale in (("admin", f"Eva Admin {tag}", "admin", "en"),
                                    ("daan", f"Daan de Vries {tag}", "bookkeeper", "nl"),
                                    ("sophie", f"Sophie Miller {tag}", "bookkeeper", "en")):
        email = f"{key}-{tag}@browser.example"
        made = await _post(http, f"{base}/internal/v1/firms/{firm['id']}/staff", internal,
                           {"email": email, "name": name, "role": role, "locale": locale})
        people[key] = Person(made["id"], name, email, locale)

    names = NAMED + [f"Klant {n:03d} Holding" for n in range(FILLERS)]
    limit = asyncio.Semaphore(8)

    async def linked(name: str, state: str) -> str:
        async with limit:
            client = await _post(http, f"{base}/internal/v1/clients", internal,
                                 {"name": name, "registration_number": uuid.uuid4().hex[:8],
                                  "country": "NL"})
            await _post(http, f"{base}/internal/v1/firms/{firm['id']}/links", internal,
                        {"client_id": client["id"], "state": state})
            return client["id"]

    ids = await asyncio.gather(*(linked(n, "active") for n in names))
    clients = dict(zip(names, ids, strict=True))
    invited_id = await linked(INVITED, "invitation_pending")
    admin = stack.staff_headers(people["admin"].id)
    await _post(http, f"{base}/v1/clients/invite", admin,
                {"name": ONBOARDING, "registration_number": uuid.uuid4().hex[:10].upper(),
                 "country": "NL", "contact_email": "owner@olsen.example"})
    for name in DAAN_CLIENTS:
        answer = await http.put(f"{base}/v1/clients/{clients[name]}/assignees", headers=admin,
                                json={"staff_ids": [people["daan"].id]})
        assert answer.status_code == 200, answer.text
    events = [expense_created(client_id=uuid.UUID(clients[name]),
                              expense_id=f"exp-{tag}-{n}-{name}")
              for name, count in MISSING.items() for n in range(count)]
    await producer.send_many((stack.topics["expenses"], e) for e in events)
    return {"firm_id": firm["id"], "people": people, "clients": clients,
            "invited_id": invited_id}


async def _figures_arrived(world: World) -> None:
    deadline = asyncio.get_running_loop().time() + 30
    while True:
        page = await world.api(world.admin, "/v1/clients", tab="all", missing_receipts="true",
                               limit=50)
        if {i["name"] for i in page["items"]} == set(MISSING):
            return
        assert asyncio.get_running_loop().time() < deadline, "expense events not applied"
        await asyncio.sleep(0.2)


@pytest.fixture(scope="package")
async def world(settings, tmp_path_factory):
    await migrate_all(settings.database_url)
    stack = WiredStack(settings, label="web")
    web = PortalWeb(stack)
    producer = EventProducer(settings.kafka_bootstrap_servers, client_id="e2e-portal-web")
    with SmtpSink() as sink:
        # The notifier reads the stack's own partner topic: reminders the clients service
        # announces become emails at the sink.
        notifier = NotifierProcess(app_id=f"web-{uuid.uuid4().hex[:10]}", smtp_port=sink.port,
                                   log_dir=tmp_path_factory.mktemp("notifier"),
                                   notifier_partner_topic=stack.topics["announce"])
        try:
            await asyncio.gather(stack.start(), notifier.create_topics(
                settings.kafka_bootstrap_servers), producer.start())
            notifier.start()
            await web.start()
            async with httpx.AsyncClient(timeout=15) as http, \
                    asyncpg.create_pool(settings.database_url, min_size=1, max_size=2) as pool:
                seeded, _ = await asyncio.gather(_seed(stack, http, producer),
                                                 notifier.wait_ready(pool, producer))
                people = seeded["people"]
                world = World(stack=stack, web=web, sink=sink, http=http,
                              firm_id=seeded["firm_id"], admin=people["admin"],
                              daan=people["daan"], sophie=people["sophie"],
                              clients=seeded["clients"], invited_id=seeded["invited_id"])
                web.dev_staff_file.write_text(json.dumps({"admin_id": world.admin.id}))
                await _figures_arrived(world)
                yield world
        finally:
            notifier.stop()
            await web.stop()
            await producer.stop()
            await stack.stop()


@pytest.fixture(scope="session")
async def browser():
    async with async_playwright() as playwright:
        chromium = await launch(playwright)
        yield chromium
        await chromium.close()


@pytest.fixture
async def context(browser):
    ctx = await browser.new_context(viewport={"width": 1280, "height": 900})
    ctx.set_default_timeout(10_000)
    yield ctx
    await ctx.close()


@pytest.fixture
async def page(context):
    return await context.new_page()


async def sign_in(page, world: World, person: Person, *, token: str | None = None):
    """POST /session with the staff token from a real form, as the identity provider does."""
    token = token or world.stack.staff_headers(person.id)["Authorization"].removeprefix(
        "Bearer ")
    await page.set_content(
        f'<form method="post" action="{world.url}/session">'
        f'<input type="hidden" name="token" value="{token}">'
        '<button type="submit">Continue</button></form>')
    async with page.expect_navigation():
        await page.get_by_role("button", name="Continue").click()
    return page
