"""A test's own firms, staff and clients, made through the API like the platform would."""

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID

import asyncpg
import httpx

from services.clients.consumers.figures import apply_expenses, apply_wallets
from services.clients.db.unit_of_work import ClientsUnitOfWork
from services.clients.runtime import Runtime
from shared.events import Event, decode, new_event
from shared.tokens import mint_staff_token


@dataclass
class Staff:
    id: UUID
    firm_id: UUID
    role: str
    headers: dict


class World:
    def __init__(self, api: httpx.AsyncClient, rt: Runtime, pool: asyncpg.Pool):
        self.api = api
        self.rt = rt
        self.pool = pool
        self.internal = {"Authorization": f"Bearer {rt.settings.internal_api_token}"}

    async def post_internal(self, path: str, body: dict) -> dict:
        r = await self.api.post(path, json=body, headers=self.internal)
        assert r.status_code in (200, 201), r.text
        return r.json()

    async def firm(self, name: str = "Firm") -> UUID:
        return UUID((await self.post_internal("/internal/v1/firms", {"name": name}))["id"])

    async def staff(self, firm_id: UUID, role: str = "bookkeeper", *, name: str | None = None,
                    locale: str = "en") -> Staff:
        email = f"{uuid.uuid4().hex[:12]}@firm.example"
        body = await self.post_internal(f"/internal/v1/firms/{firm_id}/staff",
                                        {"email": email, "name": name or f"{role} {email[:4]}",
                                         "role": role, "locale": locale})
        staff_id = UUID(body["id"])
        token = mint_staff_token(staff_id, self.rt.settings.staff_keys)
        return Staff(staff_id, firm_id, role, {"Authorization": f"Bearer {token}"})

    async def client(self, firm_id: UUID | None, state: str = "active", *, name: str = "Client",
                     reg: str = "", country: str = "NL") -> UUID:
        """A client company, linked to `firm_id` in `state` (active or invitation_pending)."""
        body = await self.post_internal("/internal/v1/clients", {
            "name": name, "registration_number": reg, "country": country})
        client_id = UUID(body["id"])
        if firm_id is not None:
            await self.post_internal(f"/internal/v1/firms/{firm_id}/links",
                                     {"client_id": str(client_id), "state": state})
        return client_id

    async def set_state(self, firm_id: UUID, client_id: UUID, state: str) -> None:
        """Put a link in any state (onboarding, declined...) the way the events would."""
        await self.pool.execute("update clients.links set state = $3"
                                " where firm_id = $1 and client_id = $2",
                                firm_id, client_id, state)

    async def assign(self, admin: Staff, client_id: UUID, *staff: Staff) -> None:
        r = await self.api.put(f"/v1/clients/{client_id}/assignees",
                               json={"staff_ids": [str(s.id) for s in staff]},
                               headers=admin.headers)
        assert r.status_code == 200, r.text

    async def figures(self, client_id: UUID, *, missing: int = 0, ready: int = 0,
                      balance: int | None = None, sequence: int = 1) -> None:
        """Give a client figures through the real consumers' code (expense/wallet events)."""
        events = []
        for i in range(missing):
            events.append(expense_created(client_id, f"m{i}-{uuid.uuid4().hex[:6]}"))
        for i in range(ready):
            expense_id = f"r{i}-{uuid.uuid4().hex[:6]}"
            events += [expense_created(client_id, expense_id, receipt_required=False),
                       expense_event("expense.ready_for_export", client_id, expense_id)]
        if events:
            await apply_expenses(uow(self), events)
        if balance is not None:
            await apply_wallets(uow(self), [wallet_event(client_id, balance, sequence)])

    async def outbox(self, subject: UUID, type_: str | None = None) -> list[Event]:
        """The announcements written for `subject`, decoded, oldest first."""
        rows = await self.pool.fetch(
            "select event from clients.outbox where key = $1 order by id", str(subject))
        events = [decode(json.dumps(r["event"])) for r in rows]
        return [e for e in events if type_ is None or e.type == type_]


def uow(world: World) -> ClientsUnitOfWork:
    """A unit of work of the service, as the consumer opens one per batch."""
    return world.rt.unit_of_work()


def as_event(envelope) -> Event:
    return decode(envelope.to_bytes())


def expense_created(client_id: UUID, expense_id: str, *, receipt_required: bool = True,
                    has_receipt: bool = False, event_id: str | None = None) -> Event:
    return as_event(new_event("expense.created", source="/platform/expenses",
                              subject=str(client_id), event_id=event_id, data={
                                  "expense_id": expense_id, "client_id": str(client_id),
                                  "amount_minor": 1234, "currency": "EUR",
                                  "receipt_required": receipt_required,
                                  "has_receipt": has_receipt,
                                  "occurred_at": datetime.now(UTC).isoformat()}))


def expense_event(type_: str, client_id: UUID, expense_id: str,
                  event_id: str | None = None) -> Event:
    return as_event(new_event(type_, source="/platform/expenses", subject=str(client_id),
                              event_id=event_id,
                              data={"expense_id": expense_id, "client_id": str(client_id)}))


def wallet_event(client_id: UUID, balance: int, sequence: int, currency: str = "EUR") -> Event:
    return as_event(new_event("wallet.balance_changed", source="/platform/wallets",
                              subject=str(client_id), sequence=sequence,
                              data={"client_id": str(client_id), "balance_minor": balance,
                                    "currency": currency}))


def verification_event(client_id: UUID, firm_id: UUID, to_state: str,
                       from_state: str | None = None, case_id: UUID | None = None,
                       event_id: str | None = None) -> Event:
    return as_event(new_event("verification.state_changed", source="/onboarding",
                              subject=str(client_id), event_id=event_id, data={
                                  "client_id": str(client_id), "firm_id": str(firm_id),
                                  "case_id": str(case_id or uuid.uuid4()),
                                  "from_state": from_state, "to_state": to_state}))


def invited_event(client_id: UUID, firm_id: UUID, name: str = "Invited Co",
                  reg: str = "NL1", event_id: str | None = None) -> Event:
    return as_event(new_event("company.bookkeeper_invited", source="/platform/companies",
                              subject=str(client_id), event_id=event_id, data={
                                  "client_id": str(client_id), "firm_id": str(firm_id),
                                  "client_name": name, "registration_number": reg,
                                  "country": "NL"}))
