"""A stand-in for the verification provider and the clients service: signed HTTP calls."""

import json
import uuid

import httpx

from services.onboarding.domain.webhook_signature import sign


class OnboardingCalls:
    """The calls other systems make to the onboarding API, with the right credentials."""

    def __init__(self, http: httpx.AsyncClient, *, internal_token: str, webhook_secret: str):
        self.http = http
        self.internal_token = internal_token
        self.webhook_secret = webhook_secret

    @property
    def internal_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.internal_token}"}

    async def open_case(self, *, client_id=None, firm_id=None, case_id=None,
                        contact_email="owner@example.com") -> httpx.Response:
        body = {"client_id": str(client_id or uuid.uuid4()),
                "firm_id": str(firm_id or uuid.uuid4()), "contact_email": contact_email}
        if case_id:
            body["case_id"] = str(case_id)
        return await self.http.post("/internal/v1/cases", json=body,
                                    headers=self.internal_headers)

    async def new_case(self) -> dict:
        """Open a case for a new client of a new firm; return the 201 body."""
        response = await self.open_case()
        assert response.status_code == 201, response.text
        return response.json()

    async def read_case(self, case_id) -> dict:
        response = await self.http.get(f"/internal/v1/cases/{case_id}",
                                       headers=self.internal_headers)
        assert response.status_code == 200, response.text
        return response.json()

    async def webhook_raw(self, raw: bytes, *, signature: str | None = "sign") -> httpx.Response:
        """POST raw bytes; `signature` "sign" signs them correctly, None sends no header."""
        headers = {"Content-Type": "application/json"}
        if signature == "sign":
            headers["X-Signature"] = sign(raw, self.webhook_secret)
        elif signature is not None:
            headers["X-Signature"] = signature
        return await self.http.post("/webhooks/verification", content=raw, headers=headers)

    async def webhook(self, case_id, event: str, reason: str | None = None,
                      **kwargs) -> httpx.Response:
        body = {"case_id": str(case_id), "event": event}
        if reason is not None:
            body["reason"] = reason
        return await self.webhook_raw(json.dumps(body).encode(), **kwargs)

    async def drive(self, case_id, *events: str) -> None:
        """Send `events` in order, each of which must be applied."""
        for event in events:
            response = await self.webhook(case_id, event)
            assert response.status_code == 200, response.text
            assert response.json()["applied"] is True, response.text
