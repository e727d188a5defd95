"""The portal over plain HTTP (httpx, no browser) on top of a real clients service.

One WiredStack (clients + onboarding processes with their own topics) and one portal
process for the package; each test makes its own firm, staff and clients through the
internal API, and signs in through `POST /session` like the identity provider does.
"""

import html
import re
import uuid
from dataclasses import dataclass

import httpx
import pytest

from shared.db.migrate import migrate_all
from shared.kafka.producer import EventProducer
from tests.e2e.portal_web import PortalWeb, WiredStack

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class Person:
    id: str
    name: str
    role: str
    locale: str


class Portal:
    """The running portal, its clients service, and a way to build a test's own world."""

    def __init__(self, stack: WiredStack, web: PortalWeb, producer: EventProducer):
        self.stack, self.web, self.producer = stack, web, producer
        self.url = web.url
        self.api_url = stack.url("clients")

    async def _internal(self, path: str, body: dict) -> dict:
        async with httpx.AsyncClient(timeout=10) as http:
            answer = await http.post(f"{self.api_url}{path}", json=body,
                                     headers=self.stack.internal_headers)
        assert answer.status_code in (200, 201), answer.text
        return answer.json()

    async def firm(self) -> str:
        return (await self._internal("/internal/v1/firms",
                                     {"name": f"Firm {uuid.uuid4().hex[:6]}"}))["id"]

    async def person(self, firm_id: str, name: str, role: str = "bookkeeper",
                     locale: str = "en") -> Person:
        made = await self._internal(f"/internal/v1/firms/{firm_id}/staff", {
            "email": f"{uuid.uuid4().hex[:10]}@firm.example", "name": name, "role": role,
            "locale": locale})
        return Person(made["id"], name, role, locale)

    async def client(self, firm_id: str, name: str, state: str = "active") -> str:
        made = await self._internal("/internal/v1/clients", {
            "name": name, "registration_number": uuid.uuid4().hex[:8].upper(),
            "country": "NL"})
        await self._internal(f"/internal/v1/firms/{firm_id}/links",
                             {"client_id": made["id"], "state": state})
        return made["id"]

    async def api(self, person: Person, method: str, path: str, **kwargs) -> httpx.Response:
        """The clients API as `person` (to arrange a test or to check what the portal did)."""
        async with httpx.AsyncClient(timeout=10) as http:
            return await http.request(method, f"{self.api_url}{path}",
                                      headers=self.stack.staff_headers(person.id), **kwargs)

    def token(self, person: Person) -> str:
        return self.stack.staff_headers(person.id)["Authorization"].removeprefix("Bearer ")

    async def browser(self, person: Person | None = None) -> "Browser":
        """A cookie-keeping HTTP client of the portal, signed in as `person` if given."""
        browser = Browser(httpx.AsyncClient(base_url=self.url, timeout=15))
        if person is not None:
            answer = await browser.http.post("/session", data={"token": self.token(person)})
            assert answer.status_code == 303, answer.text
        return browser


class Browser:
    """What a browser without JavaScript does: GET pages, post their forms with the CSRF token."""

    def __init__(self, http: httpx.AsyncClient):
        self.http = http
        self.csrf = ""

    async def get(self, path: str, **kwargs) -> httpx.Response:
        answer = await self.http.get(path, **kwargs)
        if found := CSRF.search(answer.text):
            self.csrf = found.group(1)
        return answer

    async def post(self, path: str, data: dict | list | None = None, *, csrf: bool = True,
                   **kwargs) -> httpx.Response:
        fields = list(data.items()) if isinstance(data, dict) else list(data or [])
        if csrf:
            fields.append(("csrf_token", self.csrf))
        return await self.http.post(path, data=_flat(fields), **kwargs)

    async def close(self) -> None:
        await self.http.aclose()


def _flat(fields: list[tuple[str, str]]) -> dict[str, list[str]]:
    flat: dict[str, list[str]] = {}
    for name, value in fields:
        flat.setdefault(name, []).append(value)
    return flat


def text_of(page: str) -> str:
    """The page's visible text, roughly: tags out, entities decoded, spaces collapsed."""
    no_tags = re.sub(r"<(script|style)\b.*?</\1>|<[^>]+>", " ", page, flags=re.S)
    return " ".join(html.unescape(no_tags).split())


def element(page: str, pattern: str) -> str:
    """The inner HTML of the first element whose opening tag matches `pattern` (regex)."""
    found = re.search(rf"<(\w+)[^>]*{pattern}[^>]*>(.*?)</\1>", page, flags=re.S)
    assert found, f"no element matching {pattern!r}"
    return found.group(2)


@pytest.fixture(scope="package")
async def portal(settings):
    await migrate_all(settings.database_url)
    stack = WiredStack(settings, label="p2")
    web = PortalWeb(stack)
    producer = EventProducer(settings.kafka_bootstrap_servers, client_id="e2e-portal-http")
    try:
        await stack.start()
        await web.start()
        await producer.start()
        yield Portal(stack, web, producer)
    finally:
        await producer.stop()
        await web.stop()
        await stack.stop()


@pytest.fixture
async def browsers(portal):
    """Opens browsers for a test and closes them after it."""
    opened: list[Browser] = []

    async def open_as(person: Person | None = None) -> Browser:
        opened.append(await portal.browser(person))
        return opened[-1]

    yield open_as
    for browser in opened:
        await browser.close()
