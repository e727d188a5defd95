"""The clients service's /v1 API as the signed-in staff member calls it (httpx, async).

Every call carries the staff member's bearer token. Answers of 4xx become `ApiProblem`
(401: `NotSignedIn`) with the API's code and message, so pages can say what went wrong;
a connection error, a timeout or a 5xx becomes `ApiUnavailable` (the "try again" page).
"""

from typing import Any
from uuid import UUID

import httpx


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


def problem_of(response: httpx.Response) -> ApiProblem:
    """The typed error of a 4xx answer; a body that is not our error shape still reads."""
    try:
        error = response.json()["error"]
        code, message, details = str(error["code"]), str(error["message"]), error.get("details")
    except (ValueError, KeyError, TypeError, AttributeError):
        code, message, details = "error", response.reason_phrase or "request refused", None
    kind = NotSignedIn if response.status_code == 401 else ApiProblem
    return kind(response.status_code, code, message, details)


class ClientsApi:
    """One pooled HTTP client to the clients service; `as_staff(token)` makes the calls."""

    def __init__(self, base_url: str, *, timeout: float,
                 transport: httpx.AsyncBaseTransport | None = None):
        self.http = httpx.AsyncClient(base_url=base_url, timeout=timeout, transport=transport,
                                      limits=httpx.Limits(max_connections=100,
                                                          max_keepalive_connections=20))

    async def close(self) -> None:
        await self.http.aclose()

    async def answers(self) -> bool:
        """Readiness: the clients service's liveness route answers 200."""
        try:
            return (await self.http.get("/healthz", timeout=2)).status_code == 200
        except httpx.HTTPError:
            return False

    def as_staff(self, token: str) -> "StaffApi":
        return StaffApi(self.http, token)


class StaffApi:
    """The /v1 routes, called with one staff member's token."""

    def __init__(self, http: httpx.AsyncClient, token: str):
        self.http = http
        self.headers = {"Authorization": f"Bearer {token}"}

    async def call(self, method: str, path: str, *, params: dict | None = None,
                   body: Any = None, headers: dict | None = None) -> Any:
        """The decoded JSON answer of one call (None when empty), or a typed error."""
        try:
            response = await self.http.request(method, path, params=params, json=body,
                                               headers={**self.headers, **(headers or {})})
        except httpx.HTTPError as exc:
            raise ApiUnavailable(f"{method} {path}: {exc!r}") from exc
        if response.status_code >= 500:
            raise ApiUnavailable(f"{method} {path}: {response.status_code}")
        if response.status_code >= 400:
            raise problem_of(response)
        return response.json() if response.content else None

    async def me(self) -> dict:
        return await self.call("GET", "/v1/me")

    async def staff(self) -> list[dict]:
        """Admins: the firm's active staff by name."""
        return (await self.call("GET", "/v1/staff"))["items"]

    async def tabs(self) -> list[dict]:
        return await self.call("GET", "/v1/clients/tabs")

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
