"""ClientsUnitOfWork in memory: the repositories the service layer uses, over dicts.

A rollback restores the rows as they were when the unit of work was entered, so a test can
check that a failing batch leaves nothing behind.
"""

import uuid
from dataclasses import replace
from datetime import UTC, datetime
from uuid import UUID

from services.clients.db.directory import Assignable, Company, Firm, Staff
from services.clients.db.links import SeenLink
from services.clients.db.preferences import TurnedOff
from services.clients.db.reminders import Reminder, SentReminder
from services.clients.domain.links import Link
from services.clients.domain.notifications import OFF, Preference
from tests.unit.fake_unit_of_work import FakeUnitOfWork


class Rows:
    """Everything the fake repositories hold (copied whole for a rollback)."""

    def __init__(self):
        self.firms: dict[UUID, Firm] = {}
        self.staff: dict[UUID, Staff] = {}
        self.companies: dict[UUID, Company] = {}
        self.links: dict[tuple[UUID, UUID], Link] = {}
        self.assignees: dict[tuple[UUID, UUID], list[UUID]] = {}
        self.preferences: dict[tuple[UUID, UUID], Preference] = {}
        self.reminders: list[dict] = []
        self.grants: list[dict] = []
        self.case_openings: list[dict] = []
        self.audit: list[dict] = []
        self.expense_batches: list[list] = []
        self.wallet_batches: list[list] = []


class FakeDirectory:
    def __init__(self, rows: Rows):
        self.rows = rows

    async def insert_firm(self, firm_id, name):
        self.rows.firms[firm_id] = Firm(firm_id, name, datetime.now(UTC))
        return self.rows.firms[firm_id]

    async def firm_exists(self, firm_id):
        return firm_id in self.rows.firms

    async def insert_staff(self, *, staff_id, firm_id, email, name, role, locale):
        if any(s.firm_id == firm_id and s.email.lower() == email.lower()
               for s in self.rows.staff.values()):
            return None
        self.rows.staff[staff_id] = Staff(staff_id, firm_id, email, name, role, locale, True)
        return self.rows.staff[staff_id]

    async def update_staff(self, staff_id, changes):
        if staff_id not in self.rows.staff:
            return None
        self.rows.staff[staff_id] = replace(self.rows.staff[staff_id], **changes)
        return self.rows.staff[staff_id]

    async def staff(self, staff_id):
        return self.rows.staff.get(staff_id)

    async def active_staff_of_firm(self, firm_id, staff_ids):
        return [Assignable(s.id, s.name, s.role) for s in self.rows.staff.values()
                if s.firm_id == firm_id and s.active and s.id in staff_ids]

    async def active_staff(self, firm_id):
        staff = await self.active_staff_of_firm(firm_id, list(self.rows.staff))
        return sorted(staff, key=lambda s: (s.name, s.id))

    async def insert_company(self, *, client_id, name, registration_number, country):
        if client_id in self.rows.companies:
            return None
        self.rows.companies[client_id] = Company(client_id, name, registration_number, country)
        return self.rows.companies[client_id]

    async def upsert_company(self, *, client_id, name, registration_number, country):
        self.rows.companies[client_id] = Company(client_id, name, registration_number, country)

    async def company(self, client_id):
        return self.rows.companies.get(client_id)


class FakeLinks:
    def __init__(self, rows: Rows):
        self.rows = rows

    async def insert(self, *, firm_id, client_id, state, case_id=None):
        company = self.rows.companies.get(client_id)
        if company is None or (firm_id, client_id) in self.rows.links:
            return None
        link = Link(firm_id, client_id, state, company.name, company.registration_number,
                    company.country, None, case_id)
        self.rows.links[firm_id, client_id] = link
        return link

    async def lock(self, firm_id, client_id):
        return self.rows.links.get((firm_id, client_id))

    async def set_state(self, *, firm_id, client_id, state, verification_state):
        link = replace(self.rows.links[firm_id, client_id], state=state,
                       verification_state=verification_state)
        self.rows.links[firm_id, client_id] = link
        return link

    async def seen_by(self, *, firm_id, client_id, staff_id):
        link = self.rows.links.get((firm_id, client_id))
        if link is None:
            return None
        return SeenLink(link.state, link.name,
                        staff_id in self.rows.assignees.get((firm_id, client_id), []))

    async def assignee_ids(self, firm_id, client_id):
        return sorted(self.rows.assignees.get((firm_id, client_id), []))

    async def replace_assignees(self, *, firm_id, client_id, staff_ids):
        self.rows.assignees[firm_id, client_id] = list(staff_ids)

    async def bookkeepers_assigned(self, firm_id, client_id):
        return sorted(s for s in self.rows.assignees.get((firm_id, client_id), [])
                      if self.rows.staff[s].role == "bookkeeper" and self.rows.staff[s].active)


class FakePreferences:
    def __init__(self, rows: Rows):
        self.rows = rows

    async def get(self, staff_id, client_id, *, lock=False):
        return self.rows.preferences.get((staff_id, client_id), OFF)

    async def save(self, staff_id, client_id, pref):
        self.rows.preferences[staff_id, client_id] = pref

    async def turn_email_off(self, staff_id, client_ids):
        changed = []
        for client_id in client_ids:
            pref = self.rows.preferences.get((staff_id, client_id))
            if pref is not None and pref.email:
                now = datetime.now(UTC)
                self.rows.preferences[staff_id, client_id] = replace(
                    pref, email=False, first_digest_at=None, changed_at=now)
                changed.append(TurnedOff(client_id, pref.frequency, now))
        return changed


class FakeReminders:
    def __init__(self, rows: Rows):
        self.rows = rows

    async def insert(self, *, idempotency_key, admin_id, **fields):
        if idempotency_key is not None and await self.by_key(admin_id, idempotency_key):
            return False
        self.rows.reminders.append(dict(fields, idempotency_key=idempotency_key,
                                        admin_id=admin_id, created_at=datetime.now(UTC)))
        return True

    async def by_key(self, admin_id, idempotency_key):
        for r in self.rows.reminders:
            if (r["admin_id"], r["idempotency_key"]) == (admin_id, idempotency_key):
                return Reminder(r["reminder_id"], r["recipient_ids"], r["fingerprint"])
        return None

    async def of_client(self, firm_id, client_id, limit=200):
        return [SentReminder(
            id=r["reminder_id"], client_id=client_id, admin_id=r["admin_id"],
            admin_name=self.rows.staff[r["admin_id"]].name, tasks=r["tasks"],
            comment=r["comment"], recipient_ids=r["recipient_ids"],
            created_at=r["created_at"], resolved_at=None, resolved=False,
            missing_receipts_at_request=0, ready_for_export_at_request=0,
            wallet_balance_at_request=None, wallet_currency_at_request=None)
            for r in reversed(self.rows.reminders)
            if (r["firm_id"], r["client_id"]) == (firm_id, client_id)][:limit]


class Appender:
    """A repository that only adds rows (audit, grants, case openings, figures)."""

    def __init__(self, into: list):
        self.into = into

    async def add(self, **fields) -> None:
        self.into.append(fields)


class FakeFigures:
    def __init__(self, rows: Rows):
        self.rows = rows

    async def apply_expenses(self, events):
        self.rows.expense_batches.append(list(events))

    async def apply_wallets(self, events):
        self.rows.wallet_batches.append(list(events))


class FakeClientsUnitOfWork(FakeUnitOfWork):
    def __init__(self):
        self.case_opener_woken = 0
        super().__init__(Rows(), announce_topic="partner.clients.v1")

    def wake_case_opener(self) -> None:
        self.case_opener_woken += 1

    def _bind(self) -> None:
        self.directory = FakeDirectory(self.rows)
        self.links = FakeLinks(self.rows)
        self.preferences = FakePreferences(self.rows)
        self.reminders = FakeReminders(self.rows)
        self.figures = FakeFigures(self.rows)
        self.audit = Appender(self.rows.audit)
        self.access = Appender(self.rows.grants)
        self.case_openings = Appender(self.rows.case_openings)


    # What tests set up directly, as the internal routes would.

    def firm(self) -> UUID:
        firm_id = uuid.uuid4()
        self.rows.firms[firm_id] = Firm(firm_id, "Firm", datetime.now(UTC))
        return firm_id

    def staff(self, firm_id: UUID, role: str = "bookkeeper", *, name: str = "Staff") -> Staff:
        staff = Staff(uuid.uuid4(), firm_id, f"{uuid.uuid4().hex[:8]}@firm.example", name,
                      role, "en", True)
        self.rows.staff[staff.id] = staff
        return staff

    def client(self, firm_id: UUID | None = None, state: str = "active", *,
               name: str = "Client", verification_state: str | None = None) -> UUID:
        client_id = uuid.uuid4()
        self.rows.companies[client_id] = Company(client_id, name, "NL1", "NL")
        if firm_id is not None:
            self.rows.links[firm_id, client_id] = Link(firm_id, client_id, state, name, "NL1",
                                                       "NL", verification_state, None)
        return client_id

    def link(self, firm_id: UUID, client_id: UUID) -> Link | None:
        return self.rows.links.get((firm_id, client_id))
