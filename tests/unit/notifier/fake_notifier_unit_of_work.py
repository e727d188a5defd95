"""NotifierUnitOfWork in memory: the repositories the service layer uses, over dicts.

Each fake keeps the rule its SQL keeps (the time guards, the per-link rows, the unique keys
of the email outbox, who is owed a digest), so the service layer's tests see the same
effects; a rollback restores the rows as they were when the unit of work was entered.
"""

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from uuid import UUID

from services.notifier.domain.preferences import PreferenceChange
from shared.events import Event
from shared.task_figures import ExpenseFlags, fold_expense_events, latest_wallet_events
from tests.unit.fake_unit_of_work import FakeUnitOfWork

NEVER = datetime.min.replace(tzinfo=UTC)  # the placeholder link's '-infinity'


@dataclass(frozen=True, slots=True)
class StaffRow:
    firm_id: UUID
    email: str
    name: str
    role: str
    active: bool
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class LinkRow:
    name: str
    link_state: str
    updated_at: datetime
    assignee_ids: tuple[UUID, ...] = ()
    assignees_updated_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class WalletRow:
    balance_minor: int
    currency: str
    sequence: int


class Rows:
    """Everything the fake repositories hold (copied whole for a rollback)."""

    def __init__(self):
        self.staff: dict[UUID, StaffRow] = {}
        self.links: dict[tuple[UUID, UUID], LinkRow] = {}  # (firm, client)
        self.preferences: dict[tuple[UUID, UUID], PreferenceChange] = {}  # (staff, client)
        self.expenses: dict[tuple[UUID, str], ExpenseFlags] = {}
        self.wallets: dict[UUID, WalletRow] = {}
        # (staff, send time) -> the digest's client ids, as the email outbox's unique key.
        self.digests: dict[tuple[UUID, datetime], list[UUID]] = {}
        # (reminder, staff) -> the reminder email's payload.
        self.reminder_emails: dict[tuple[UUID, UUID], dict] = {}
        self.senders_woken: list[str] = []

    def counts(self, client_id: UUID) -> tuple[int, int]:
        """(missing receipts, ready for export) of a client, as the recount gives them."""
        flags = [f for (c, _), f in self.expenses.items() if c == client_id]
        missing = sum(f.created and bool(f.receipt_required) and not f.has_receipt
                      and not f.waived and not f.deleted for f in flags)
        ready = sum(f.ready and not f.exported and not f.deleted for f in flags)
        return missing, ready


def one_per_key(keys: list) -> None:
    """PostgreSQL refuses an `insert ... on conflict do update` touching a row twice."""
    if len(set(keys)) != len(keys):
        raise AssertionError("ON CONFLICT DO UPDATE command cannot affect row a second time")


class FakeDirectory:
    def __init__(self, rows: Rows):
        self.rows = rows

    async def upsert_staff(self, events: list[Event]) -> None:
        one_per_key([e.data.staff_id for e in events])
        for e in events:
            d, seen = e.data, self.rows.staff.get(e.data.staff_id)
            if seen is None or seen.updated_at <= e.envelope.time:
                self.rows.staff[d.staff_id] = StaffRow(d.firm_id, d.email, d.name, d.role,
                                                       d.active, e.envelope.time)

    async def upsert_clients(self, events: list[Event]) -> None:
        one_per_key([(e.data.firm_id, e.data.client_id) for e in events])
        for e in events:
            key, d = (e.data.firm_id, e.data.client_id), e.data
            seen = self.rows.links.get(key)
            if seen is None:
                self.rows.links[key] = LinkRow(d.name, d.link_state, e.envelope.time)
            elif seen.updated_at <= e.envelope.time:
                self.rows.links[key] = replace(seen, name=d.name, link_state=d.link_state,
                                               updated_at=e.envelope.time)

    async def replace_assignees(self, events: list[Event]) -> None:
        one_per_key([(e.data.firm_id, e.data.client_id) for e in events])
        for e in events:
            key, at = (e.data.firm_id, e.data.client_id), e.envelope.time
            seen = self.rows.links.get(key) or LinkRow("", "unknown", NEVER)
            if seen.assignees_updated_at is None or seen.assignees_updated_at <= at:
                self.rows.links[key] = replace(seen, assignee_ids=tuple(e.data.staff_ids),
                                               assignees_updated_at=at)

    async def stored_email_starts(self, changes: list[PreferenceChange]) -> dict:
        stored = {(c.staff_id, c.client_id): self.rows.preferences.get((c.staff_id, c.client_id))
                  for c in changes}
        return {key: p.first_digest_at for key, p in stored.items()
                if p is not None and p.email and p.first_digest_at is not None}

    async def upsert_preferences(self, changes: list[PreferenceChange]) -> None:
        one_per_key([(c.staff_id, c.client_id) for c in changes])
        for c in changes:
            seen = self.rows.preferences.get((c.staff_id, c.client_id))
            if seen is None or seen.changed_at <= c.changed_at:
                self.rows.preferences[(c.staff_id, c.client_id)] = replace(
                    c, keeps_stored_start=False)


class FakeTaskFigures:
    def __init__(self, rows: Rows):
        self.rows = rows

    async def apply_expenses(self, events: list[Event]) -> list[UUID]:
        folded = fold_expense_events(events)
        for f in folded:
            seen = self.rows.expenses.get((f.client_id, f.expense_id))
            if seen is not None:  # every flag only ever switches on
                f = replace(f, created=seen.created or f.created,
                            receipt_required=(f.receipt_required
                                              if f.receipt_required is not None
                                              else seen.receipt_required),
                            **{flag: getattr(seen, flag) or getattr(f, flag)
                               for flag in ("has_receipt", "waived", "ready", "exported",
                                            "deleted")})
            self.rows.expenses[(f.client_id, f.expense_id)] = f
        return sorted({f.client_id for f in folded})

    async def apply_wallets(self, events: list[Event]) -> list[UUID]:
        touched = []
        for e in latest_wallet_events(events):
            seen = self.rows.wallets.get(e.data.client_id)
            if seen is None or seen.sequence < e.envelope.sequence:
                self.rows.wallets[e.data.client_id] = WalletRow(
                    e.data.balance_minor, e.data.currency, e.envelope.sequence)
                touched.append(e.data.client_id)
        return touched


class FakeDigests:
    """Who is owed a digest, as the statement of db/digests.py decides it."""

    def __init__(self, rows: Rows):
        self.rows = rows

    async def write(self, *, origin: str, send_time: datetime, frequencies: list[str],
                    mail_domain: str) -> int:
        owed: dict[UUID, list[UUID]] = {}
        for (staff_id, client_id), p in self.rows.preferences.items():
            staff = self.rows.staff.get(staff_id)
            link = staff and self.rows.links.get((staff.firm_id, client_id))
            if (staff and link and staff.active and link.link_state == "active"
                    and p.email and p.first_digest_at <= send_time and p.frequency in frequencies
                    and (staff.role == "admin" or staff_id in link.assignee_ids)
                    and (staff_id, send_time) not in self.rows.digests):
                owed.setdefault(staff_id, []).append(client_id)
        for staff_id, clients in owed.items():
            self.rows.digests[(staff_id, send_time)] = clients
        if owed:
            self.rows.senders_woken.append(origin)
        return len(owed)


class FakeReminders:
    def __init__(self, rows: Rows):
        self.rows = rows

    async def write(self, event: Event, *, origin: str, mail_domain: str) -> int:
        d = event.data
        link = self.rows.links.get((d.firm_id, d.client_id))
        missing, ready = self.rows.counts(d.client_id)
        written = 0
        for staff_id in d.recipient_ids:
            if (d.reminder_id, staff_id) not in self.rows.reminder_emails:
                self.rows.reminder_emails[(d.reminder_id, staff_id)] = {
                    "client_name": link and link.name, "tasks": list(d.tasks),
                    "missing_receipts": missing, "ready_for_export": ready}
                written += 1
        if written:
            self.rows.senders_woken.append(origin)
        return written


class FakeNotifierUnitOfWork(FakeUnitOfWork):
    def __init__(self):
        super().__init__(Rows(), announce_topic=None)

    def _bind(self) -> None:
        self.directory = FakeDirectory(self.rows)
        self.figures = FakeTaskFigures(self.rows)
        self.digests = FakeDigests(self.rows)
        self.reminders = FakeReminders(self.rows)

