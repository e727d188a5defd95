"""Staff with weekly digests set through the clients API, a Monday tick per fault, and the
count at the SMTP sink: per staff member and send time exactly one Message-ID."""

import asyncio
import random
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import asyncpg
import httpx

from services.notifier.send_tick import send_tick
from services.notifier.settings import NotifierSettings
from services.platform_simulator.domain.companies import new_company
from shared.digest_schedule import first_digest_at
from shared.tokens import mint_staff_token
from tests.chaos.smtp import StoppableSink

STAFF_PER_CLIENT = 10


@dataclass
class Tally:
    expected: int
    delivered: int
    lost: int
    doubled: int
    resent: int


class Digests:
    """The firm, its staff and their weekly settings; the ticks; the delivery count."""

    def __init__(self, clients_url: str, settings: NotifierSettings, *, staff: int):
        self.clients_url = clients_url
        self.settings = settings
        self.staff_count = staff
        self.emails: set[str] = set()
        self._internal = {"Authorization": f"Bearer {settings.internal_api_token}"}

    def _as(self, staff_id: str) -> dict[str, str]:
        token = mint_staff_token(uuid.UUID(staff_id), self.settings.staff_keys)
        return {"Authorization": f"Bearer {token}"}

    async def set_up(self) -> None:
        """One firm: an admin and `staff` bookkeepers, ten to a client, all on weekly email."""
        rng, taken = random.Random(10), set()
        limit = asyncio.Semaphore(8)
        async with httpx.AsyncClient(base_url=self.clients_url, timeout=30) as http:
            async def call(method, path, headers, body):
                async with limit:
                    response = await http.request(method, path, headers=headers, json=body)
                if response.status_code >= 400:
                    raise RuntimeError(f"{method} {path} -> {response.status_code}: {response.text}")
                return response.json() if response.content else {}

            firm = await call("POST", "/internal/v1/firms", self._internal, {"name": "Chaos & Co"})
            people = [("admin", "chaos-admin@chaos.example")] + [
                ("bookkeeper", f"chaos-{n}@chaos.example") for n in range(self.staff_count)]
            staff = await asyncio.gather(*(
                call("POST", f"/internal/v1/firms/{firm['id']}/staff", self._internal,
                     {"email": email, "name": f"Chaos Person {n}", "role": role,
                      "locale": "nl" if n % 2 else "en"})
                for n, (role, email) in enumerate(people)))
            admin, bookkeepers = staff[0]["id"], [s["id"] for s in staff[1:]]
            groups = [bookkeepers[i:i + STAFF_PER_CLIENT]
                      for i in range(0, len(bookkeepers), STAFF_PER_CLIENT)]
            companies = [new_company(rng, taken) for _ in groups]
            clients = await asyncio.gather(*(
                call("POST", "/internal/v1/clients", self._internal,
                     {"name": c.name, "registration_number": c.registration_number,
                      "country": c.country}) for c in companies))
            weekly = {"email": True, "frequency": "weekly"}
            for client, group in zip(clients, groups, strict=True):
                await call("POST", f"/internal/v1/firms/{firm['id']}/links", self._internal,
                           {"client_id": client["id"], "state": "active"})
                await call("PUT", f"/v1/clients/{client['id']}/assignees", self._as(admin),
                           {"staff_ids": group})
            await asyncio.gather(
                call("PUT", f"/v1/clients/{clients[0]['id']}/notifications", self._as(admin),
                     weekly),
                *(call("PUT", f"/v1/clients/{client['id']}/notifications", self._as(s), weekly)
                  for client, group in zip(clients, groups, strict=True) for s in group))
        self.emails = {email for _, email in people}

    async def wait_known(self, database_url: str, timeout: float = 120) -> None:
        """Until the notifier's read model holds every setting (they travel by Kafka)."""
        deadline = asyncio.get_running_loop().time() + timeout
        conn = await asyncpg.connect(database_url)
        try:
            while True:
                known = await conn.fetchval(
                    "select count(*) from notifier.preferences p"
                    " join notifier.staff s using (staff_id) where p.email")
                if known >= len(self.emails):
                    return
                if asyncio.get_running_loop().time() > deadline:
                    raise RuntimeError(f"notifier knows {known} of {len(self.emails)} settings")
                await asyncio.sleep(1)
        finally:
            await conn.close()

    def monday(self, weeks_ahead: int) -> datetime:
        """The Monday 10:00 Copenhagen time `weeks_ahead` weeks after the coming one."""
        tz = ZoneInfo(self.settings.digest_timezone)
        first = first_digest_at(datetime.now(UTC), tz=self.settings.digest_timezone,
                                hour=self.settings.digest_hour)
        # Wall-clock arithmetic in the zone keeps 10:00 across a DST change.
        return (first.astimezone(tz) + timedelta(weeks=weeks_ahead)).astimezone(UTC)

    async def tick(self, send_time: datetime) -> None:
        await send_tick(self.settings, send_time)

    async def tally(self, conn: asyncpg.Connection, sink: StoppableSink,
                    send_time: datetime) -> Tally:
        """Delivered, lost, doubled (a second Message-ID) and re-sent (same Message-ID)."""
        ours = {r["message_id"] for r in await conn.fetch(
            "select message_id from notifier.email_outbox"
            " where kind = 'digest' and scheduled_for = $1", send_time)}
        every_known = {r["message_id"] for r in await conn.fetch(
            "select message_id from notifier.email_outbox where kind = 'digest'")}
        lost = doubled = resent = delivered = 0
        for email, ids in sink.message_ids().items():
            if email not in self.emails:
                continue
            mine = [m for m in ids if m in ours]
            # A Message-ID the outbox never wrote is a digest nobody owed: count it as doubled.
            stray = [m for m in ids if m not in every_known]
            distinct = set(mine) | set(stray)
            delivered += bool(mine)
            doubled += max(0, len(distinct) - 1)
            resent += len(mine) - len(set(mine))
        lost = len(self.emails) - delivered
        return Tally(expected=len(self.emails), delivered=delivered, lost=lost,
                     doubled=doubled, resent=resent)
