"""A firm in a real clients service (PortalStack) and the portal app in front of it.

The portal runs in-process (httpx ASGI transport) and calls the stack's clients service
over real HTTP, exactly as in production; the clients service uses the real PostgreSQL
and Kafka. Each world is a firm of its own, so tests never see each other's clients.
"""

import asyncio
import html
import re
import uuid
from datetime import UTC, datetime

import httpx

from services.portal.app import create_app
from services.portal.settings import PortalSettings
from shared.events import encode
from shared.events.schemas import ExpenseCreated
from shared.tokens import mint_staff_token
from tests.e2e.portal_stack import PortalStack

PAGE_SIZE = 20


class PortalWorld:
    """One firm: an English admin, a Dutch bookkeeper, and clients in every state."""

    def __init__(self, stack: PortalStack, http: httpx.AsyncClient, settings: PortalSettings):
        self.stack, self.http, self.settings = stack, http, settings
        self.api = stack.url("clients")
        self.admin = self.bookkeeper = self.firm_id = ""
        self.clients: dict[str, str] = {}  # name -> id

    async def call(self, method: str, path: str, *, headers: dict, body: dict | None = None,
                   status: int = 200) -> dict:
        response = await self.http.request(method, f"{self.api}{path}", headers=headers,
                                           json=body)
        assert response.status_code in (status, 201), f"{method} {path}: {response.text}"
        return response.json() if response.content else {}

    async def build(self, *, bulk: int) -> "PortalWorld":
        internal = self.stack.internal_headers
        firm = await self.call("POST", "/internal/v1/firms", headers=internal,
                               body={"name": f"Portal firm {uuid.uuid4().hex[:6]}"})
        self.firm_id = firm["id"]
        tag = uuid.uuid4().hex[:8]
        for role, name, locale in (("admin", "Eva Jansen", "en"),
                                   ("bookkeeper", "Daan de Vries", "nl")):
            member = await self.call("POST", f"/internal/v1/firms/{self.firm_id}/staff",
                                     headers=internal, body={
                                         "email": f"{role}-{tag}@firm.example", "name": name,
                                         "role": role, "locale": locale})
            setattr(self, role, member["id"])
        named = ["Café Noir B.V.", "Ångström Consulting AB", "Zeta Handel B.V."]
        names = named + [f"Bulk {n:03d} {tag}" for n in range(bulk)]
        for name in names:
            self.clients[name] = await self._linked_client(name, "active")
        self.clients["Uitgenodigd B.V."] = await self._linked_client("Uitgenodigd B.V.",
                                                                     "invitation_pending")
        admin = self.staff_headers(self.admin)
        for name in ("Café Noir B.V.", "Zeta Handel B.V."):
            await self.call("PUT", f"/v1/clients/{self.clients[name]}/assignees",
                            headers=admin, body={"staff_ids": [self.bookkeeper]})
        return self

    async def _linked_client(self, name: str, state: str) -> str:
        internal = self.stack.internal_headers
        client = await self.call("POST", "/internal/v1/clients", headers=internal,
                                 body={"name": name, "registration_number":
                                       uuid.uuid4().hex[:8].upper(), "country": "NL"})
        await self.call("POST", f"/internal/v1/firms/{self.firm_id}/links", headers=internal,
                        body={"client_id": client["id"], "state": state})
        return client["id"]

    def staff_headers(self, staff_id: str) -> dict[str, str]:
        return self.stack.staff_headers(staff_id)

    def token(self, staff_id: str) -> str:
        return mint_staff_token(uuid.UUID(staff_id), self.stack.settings.staff_keys)

    async def missing_receipt(self, producer, client_name: str) -> None:
        """One expense that needs a receipt and has none, through the platform's topic."""
        client_id = self.clients[client_name]
        data = ExpenseCreated(expense_id=f"exp-{uuid.uuid4().hex}", client_id=client_id,
                              amount_minor=1250, currency="EUR", receipt_required=True,
                              has_receipt=False, occurred_at=datetime.now(UTC))
        await producer.send(self.stack.topics["expenses"], encode(
            "expense.created", data, source="/platform/expenses", subject=str(client_id)))

    async def wait_missing(self, client_name: str, count: int, timeout: float = 15) -> None:
        client_id = self.clients[client_name]
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            item = await self.call("GET", f"/v1/clients/{client_id}",
                                   headers=self.staff_headers(self.admin))
            if item["missing_receipts"] == count:
                return
            assert asyncio.get_running_loop().time() < deadline, item
            await asyncio.sleep(0.2)


def portal_app(stack: PortalStack, **overrides):
    settings = PortalSettings(**{"app_env": "test", "clients_api_url": stack.url("clients"),
                                 "clients_page_size": PAGE_SIZE, **overrides})
    return create_app(settings), settings


async def browser(app) -> httpx.AsyncClient:
    """A cookie-keeping client of the portal app (the session lives in its jar)."""
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                             base_url="http://portal.test", timeout=20)


async def sign_in(client: httpx.AsyncClient, token: str) -> httpx.Response:
    return await client.post("/session", data={"token": token})


def text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def tab_names(page: str) -> list[str]:
    """The accessible names of the tabs: "My clients 2"."""
    return [text(m) for m in re.findall(r'<a role="tab"[^>]*>(.*?)</a>', page, re.S)]


def selected_tab(page: str) -> str:
    found = re.search(r'<a role="tab"[^>]*aria-selected="true"[^>]*>(.*?)</a>', page, re.S)
    return text(found.group(1)) if found else ""


def row_names(page: str) -> list[str]:
    return [html.unescape(n) for n in
            re.findall(r'class="client"><a href="/clients/[^"]+">([^<]+)</a>', page)]


def next_cursor(page: str) -> str | None:
    found = re.search(r'name="cursor" value="([^"]+)"', page)
    return html.unescape(found.group(1)) if found else None


def csrf_of(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
