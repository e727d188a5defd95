"""The clients service's /v1 API as the signed-in staff member calls it (aiohttp, async).

Every call carries the staff member's bearer token. Answers of 4xx become `ApiProblem`
(401: `NotSignedIn`) with the API's code and message, so pages can say what went wrong;
a connection error, a timeout or a 5xx becomes `ApiUnavailable` (the "try again" page).
aiohttp, not httpx: a call costs the portal ~0.5 ms of CPU instead of ~3 ms (a page makes
one to three; measured in docs/BENCHMARKS.md).
"""

import asyncio
import json
from typing import Any
from uuid import UUID

import aiohttp

from services.portal.list_cache import ListCache

# Below uvicorn's keep-alive timeout (5 s), so the portal lets an idle connection go
# before the clients service closes it under a request being sent.
KEEPALIVE_SECONDS = 4.0
# The firm's staff (Assigned-to filter, assignee picker) changes far more rarely than a
# page is shown: kept a minute per session even when tab counts are asked every page (a
# change made through the portal forgets it at once; one made elsewhere shows within this).
STAFF_KEPT_SECONDS = 60.0


class ApiProblem(Exception):
    """The API refused the call (4xx): `status`, `code` and `message` from its error body."""

    def __init__(self, status: int, code: str, message: str, details: Any = None):
        super().__init__(f"{status} {code}: {message}")
        self.status, self.code, self.message, self.details = status, code, message, details

    def invalid_fields(self) -> set[str]:
        """The body fields a 422 names (`body.contact_email` -> `contact_email`)."""
        if not isinstance(self.details, list):
            return set()
        return {str(d.get("location", "")).split(".")[-1] for d in self.details
                if isinstance(d, dict) and str(d.get("location", "")).startswith("body.")}


class NotSignedIn(ApiProblem):
    """401: the session's token is missing, forged, expired or names no active staff."""


class ApiUnavailable(Exception):
    """The clients service did not answer usefully (down, timed out, 5xx)."""


def problem_of(status: int, body: bytes, reason: str | None) -> ApiProblem:
    """The typed error of a 4xx answer; a body that is not our error shape still reads."""
    try:
        error = json.loads(body)["error"]
        code, message, details = str(error["code"]), str(error["message"]), error.get("details")
    except (ValueError, KeyError, TypeError, AttributeError):
        code, message, details = "error", reason or "request refused", None
    kind = NotSignedIn if status == 401 else ApiProblem
    return kind(status, code, message, details)


class ClientsApi:
    """One pooled HTTP/1.1 keep-alive client to the clients service; `as_staff(token)` calls.

    The aiohttp session is opened on first use, inside the running event loop (the app is
    built at import time, outside any loop).
    """

    def __init__(self, base_url: str, *, timeout: float, lists_ttl: float = 0.0):
        self.base_url = base_url.rstrip("/")
        self.timeout = aiohttp.ClientTimeout(total=timeout)
        self.lists = ListCache(lists_ttl)
        self._http: aiohttp.ClientSession | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def _session(self) -> aiohttp.ClientSession:
        # A session belongs to the loop it was opened in (a test may run the app in another).
        loop = asyncio.get_running_loop()
        if self._http is None or self._http.closed or self._loop is not loop:
            self._loop = loop
            self._http = aiohttp.ClientSession(
                timeout=self.timeout, raise_for_status=False,
                connector=aiohttp.TCPConnector(limit=100, keepalive_timeout=KEEPALIVE_SECONDS))
        return self._http

    async def close(self) -> None:
        if self._http is not None:
            await self._http.close()

    async def answers(self) -> bool:
        """Readiness: the clients service's liveness route answers 200."""
        try:
            async with self._session().get(f"{self.base_url}/healthz",
                                           timeout=aiohttp.ClientTimeout(total=2)) as answer:
                return answer.status == 200
        except (aiohttp.ClientError, asyncio.TimeoutError):
            return False

    async def call(self, method: str, path: str, *, params: dict | None = None,
                   body: Any = None, headers: dict | None = None) -> Any:
        """The decoded JSON answer of one call (None when empty), or a typed error."""
        try:
            status, content, reason = await self._send(method, path, params, body, headers)
        except aiohttp.ServerDisconnectedError:
            # A kept-alive connection the service closed as we reused it: once more, on a
            # fresh one, for reads only (a write may have been done).
            if method != "GET":
                raise ApiUnavailable(f"{method} {path}: disconnected") from None
            status, content, reason = await self._retry(method, path, params, body, headers)
        except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
            raise ApiUnavailable(f"{method} {path}: {exc!r}") from exc
        if status >= 500:
            raise ApiUnavailable(f"{method} {path}: {status}")
        if status >= 400:
            raise problem_of(status, content, reason)
        return json.loads(content) if content else None

    async def _retry(self, method: str, path: str, params, body, headers):
        try:
            return await self._send(method, path, params, body, headers)
        except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
            raise ApiUnavailable(f"{method} {path}: {exc!r}") from exc

    async def _send(self, method: str, path: str, params: dict | None, body: Any,
                    headers: dict | None) -> tuple[int, bytes, str | None]:
        async with self._session().request(method, f"{self.base_url}{path}", params=params,
                                           json=body, headers=headers) as answer:
            return answer.status, await answer.read(), answer.reason

    def as_staff(self, token: str, firm_id: str | None = None) -> "StaffApi":
        """The API as one staff member; with their `firm_id`, tab counts and staff are kept
        briefly (list_cache.py) and any change they make through the portal forgets them."""
        return StaffApi(self, token, firm_id)


class StaffApi:
    """The /v1 routes, called with one staff member's token."""

    def __init__(self, api: ClientsApi, token: str, firm_id: str | None = None):
        self.api, self.token, self.firm_id = api, token, firm_id
        self.headers = {"Authorization": f"Bearer {token}"}

    async def call(self, method: str, path: str, *, params: dict | None = None,
                   body: Any = None, headers: dict | None = None) -> Any:
        """One call with this staff member's token; a change forgets the firm's kept lists."""
        if method != "GET" and self.firm_id:
            self.api.lists.forget_firm(self.firm_id)
        return await self.api.call(method, path, params=params, body=body,
                                   headers={**self.headers, **headers} if headers
                                   else self.headers)

    async def _kept(self, what: str, path: str, ttl: float | None = None) -> Any:
        """A GET answer kept briefly for this session (when it has a firm to forget it by);
        `ttl` overrides PORTAL_LISTS_CACHE_SECONDS."""
        if not self.firm_id:
            return await self.call("GET", path)
        key = (self.token, what)
        found = self.api.lists.get(self.firm_id, key)
        if found is None:
            version = self.api.lists.version(self.firm_id)
            found = await self.call("GET", path)
            self.api.lists.put(self.firm_id, key, found, version, ttl)
        return found

    async def me(self) -> dict:
        return await self.call("GET", "/v1/me")

    async def staff(self) -> list[dict]:
        """Admins: the firm's active staff by name (kept a minute, see STAFF_KEPT_SECONDS)."""
        ttl = max(self.api.lists.ttl, STAFF_KEPT_SECONDS)
        return (await self._kept("staff", "/v1/staff", ttl))["items"]

    async def tabs(self) -> list[dict]:
        return await self._kept("tabs", "/v1/clients/tabs")

    async def clients(self, params: dict) -> dict:
        """One page: {"items": [...], "next_cursor": str | None}."""
        return await self.call("GET", "/v1/clients", params=params)

    async def client(self, client_id: UUID | str) -> dict:
        return await self.call("GET", f"/v1/clients/{client_id}")

    async def invite(self, *, name: str, registration_number: str, country: str,
                     contact_email: str) -> dict:
        return await self.call("POST", "/v1/clients/invite", body={
            "name": name, "registration_number": registration_number, "country": country,
            "contact_email": contact_email})

    async def answer_invitation(self, client_id: UUID | str, *, accept: bool) -> dict:
        verb = "accept" if accept else "decline"
        return await self.call("POST", f"/v1/invitations/{client_id}/{verb}")

    async def set_assignees(self, client_id: UUID | str, staff_ids: list[str]) -> Any:
        return await self.call("PUT", f"/v1/clients/{client_id}/assignees",
                               body={"staff_ids": staff_ids})

    async def notifications(self, client_id: UUID | str) -> dict:
        return await self.call("GET", f"/v1/clients/{client_id}/notifications")

    async def set_notifications(self, client_id: UUID | str, *, email: bool,
                                frequency: str | None) -> dict:
        return await self.call("PUT", f"/v1/clients/{client_id}/notifications",
                               body={"email": email, "frequency": frequency})

    async def remind(self, client_id: UUID | str, *, tasks: list[str], comment: str | None,
                     idempotency_key: str | None = None) -> dict:
        headers = {"Idempotency-Key": idempotency_key} if idempotency_key else None
        return await self.call("POST", f"/v1/clients/{client_id}/reminders",
                               body={"tasks": tasks, "comment": comment}, headers=headers)

    async def reminders(self, client_id: UUID | str) -> list[dict]:
        return (await self.call("GET", f"/v1/clients/{client_id}/reminders"))["items"]

    async def access(self, client_id: UUID | str) -> dict:
        """Go to client: {grant_id, url, token, expires_at}."""
        return await self.call("POST", f"/v1/clients/{client_id}/access")
