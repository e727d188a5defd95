"""The calls an admin, a bookkeeper and the verification provider make against a PortalStack."""

import asyncio
import json
import uuid

import httpx

from services.onboarding.domain.webhook_signature import sign
from tests.e2e.portal_stack import PortalStack

TABS = ("invitations", "onboarding", "my", "all")


class PortalCalls:
    """HTTP calls to the two services of `stack`, over one pooled client."""

    def __init__(self, stack: PortalStack, http: httpx.AsyncClient):
        self.stack = stack
        self.http = http

    async def call(self, method: str, url: str, *, status: int = 200, **kwargs) -> dict:
        response = await self.http.request(method, url, **kwargs)
        assert response.status_code == status, f"{method} {url}: {response.text}"
        return response.json()

    async def new_firm(self) -> tuple[str, str, str]:
        """A firm with one admin and one bookkeeper: (firm_id, admin_id, bookkeeper_id)."""
        base, headers = self.stack.url("clients"), self.stack.internal_headers
        firm = await self.call("POST", f"{base}/internal/v1/firms", status=201, headers=headers,
                              json={"name": f"Firm {uuid.uuid4().hex[:6]}"})
        staff = []
        for role in ("admin", "bookkeeper"):
            tag = uuid.uuid4().hex[:8]
            member = await self.call(
                "POST", f"{base}/internal/v1/firms/{firm['id']}/staff", status=201,
                headers=headers, json={"email": f"{role}-{tag}@firm.example", "locale": "en",
                                       "name": f"{role.title()} {tag}", "role": role})
            staff.append(member["id"])
        return firm["id"], staff[0], staff[1]

    async def invite(self, admin_id: str, name: str) -> dict:
        """Admin invites a new client; returns {client_id, case_id, registration_number}."""
        registration_number = uuid.uuid4().hex[:10].upper()
        created = await self.call(
            "POST", f"{self.stack.url('clients')}/v1/clients/invite", status=201,
            headers=self.stack.staff_headers(admin_id),
            json={"name": name, "registration_number": registration_number,
                  "country": "NL", "contact_email": "owner@client.example"})
        return {**created, "registration_number": registration_number}

    async def assign(self, admin_id: str, client_id: str, staff_ids: list[str]) -> None:
        await self.call("PUT", f"{self.stack.url('clients')}/v1/clients/{client_id}/assignees",
                       headers=self.stack.staff_headers(admin_id), json={"staff_ids": staff_ids})

    async def tab_ids(self, staff_id: str, tab: str, q: str | None = None) -> set[str]:
        """Ids of the clients listed under `tab` for `staff_id` (every page)."""
        ids, cursor = set(), None
        while True:
            params = {"tab": tab, "limit": 200}
            if q:
                params["q"] = q
            if cursor:
                params["cursor"] = cursor
            page = await self.call("GET", f"{self.stack.url('clients')}/v1/clients",
                                  params=params, headers=self.stack.staff_headers(staff_id))
            ids |= {item["id"] for item in page["items"]}
            cursor = page.get("next_cursor")
            if not cursor:
                return ids

    async def tabs_of(self, staff_id: str) -> dict[str, int]:
        tabs = await self.call("GET", f"{self.stack.url('clients')}/v1/clients/tabs",
                              headers=self.stack.staff_headers(staff_id))
        return {t["tab"]: t["count"] for t in tabs}

    async def where_is(self, staff_id: str, client_id: str) -> set[str]:
        """The tabs (of those `staff_id` sees) that list `client_id`."""
        shown = await self.tabs_of(staff_id)
        return {tab for tab in shown if client_id in await self.tab_ids(staff_id, tab)}

    async def case_at_onboarding(self, case_id: str) -> dict | None:
        """The case as the onboarding service has it; None until clients has opened it."""
        response = await self.http.get(
            f"{self.stack.url('onboarding')}/internal/v1/cases/{case_id}",
            headers=self.stack.internal_headers)
        return response.json() if response.status_code == 200 else None

    async def wait_case_opened(self, case_id: str, timeout: float = 30.0) -> dict:
        """Wait for the clients service's case opener to reach onboarding (it retries)."""
        return await self.eventually(lambda: self.case_at_onboarding(case_id), timeout=timeout,
                                     what=f"case {case_id} opened at onboarding")

    async def webhook(self, case_id: str, event: str) -> httpx.Response:
        raw = json.dumps({"case_id": case_id, "event": event}).encode()
        return await self.http.post(
            f"{self.stack.url('onboarding')}/webhooks/verification", content=raw,
            headers={"Content-Type": "application/json",
                     "X-Signature": sign(raw, self.stack.settings.verification_webhook_secret)})

    async def provider(self, case_id: str, event: str) -> None:
        response = await self.webhook(case_id, event)
        assert response.status_code == 200, response.text
        assert response.json()["applied"] is True, response.text

    async def eventually(self, check, *, timeout: float = 15.0, what: str = "condition"):
        """Poll the async `check` until it returns a truthy value; return that value."""
        deadline = asyncio.get_running_loop().time() + timeout
        while not (result := await check()):
            assert asyncio.get_running_loop().time() < deadline, f"timed out: {what}"
            await asyncio.sleep(0.05)
        return result
