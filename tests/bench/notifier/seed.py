"""The benchmark's data: firms, staff, clients, assignments and settings, COPYed straight into
the notifier's tables (what its consumers would have built from partner events)."""

import random
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime

import asyncpg

FREQUENCIES = ("daily", "weekly", "monthly")


@dataclass
class Population:
    firms: list[uuid.UUID] = field(default_factory=list)
    staff: list[tuple] = field(default_factory=list)
    clients: list[tuple] = field(default_factory=list)
    preferences: list[tuple] = field(default_factory=list)
    figures: list[tuple] = field(default_factory=list)

    @property
    def client_ids(self) -> list[uuid.UUID]:
        return [c[0] for c in self.clients]


def build(*, run: str, firms: int, staff_per_firm: int, clients_per_firm: int,
          admins_per_firm: int, first_digest_at: datetime, rng: random.Random) -> Population:
    """Every staff member has at least one due, visible client: one digest each."""
    pop, now = Population(), datetime.now(UTC)
    for f in range(firms):
        firm = uuid.uuid4()
        pop.firms.append(firm)
        people = [uuid.uuid4() for _ in range(staff_per_firm)]
        admins, bookkeepers = people[:admins_per_firm], people[admins_per_firm:]
        for i, staff_id in enumerate(people):
            role = "admin" if i < admins_per_firm else "bookkeeper"
            pop.staff.append((staff_id, firm, f"bench-{run}-{f}-{i}@example.com",
                              f"Medewerker {f}-{i}", role, rng.choice(("nl", "en")), True, now))
        clients = [uuid.uuid4() for _ in range(clients_per_firm)]
        for j, client_id in enumerate(clients):
            # Two bookkeepers per client, round robin, so that every bookkeeper has some.
            assigned = [bookkeepers[j % len(bookkeepers)],
                        bookkeepers[(j + 7) % len(bookkeepers)]]
            pop.clients.append((client_id, firm, f"Cliënt {f}-{j} B.V.", "active", assigned,
                                now, now))
            pop.figures.append((client_id, 0, 0, rng.randint(-5_000, 2_000_000), "EUR", 1, now))
            pop.preferences += [(b, client_id, True, rng.choice(FREQUENCIES), now,
                                 first_digest_at) for b in assigned]
        for admin in admins:
            pop.preferences += [(admin, c, True, rng.choice(FREQUENCIES), now, first_digest_at)
                                for c in rng.sample(clients, 10)]
    return pop


async def copy_in(conn: asyncpg.Connection, pop: Population) -> None:
    """COPY the population into the notifier schema."""
    await conn.copy_records_to_table(
        "staff", schema_name="notifier", records=pop.staff,
        columns=["staff_id", "firm_id", "email", "name", "role", "locale", "active",
                 "updated_at"])
    await conn.copy_records_to_table(
        "clients", schema_name="notifier", records=pop.clients,
        columns=["client_id", "firm_id", "name", "link_state", "assignee_ids", "updated_at",
                 "assignees_updated_at"])
    await conn.copy_records_to_table(
        "preferences", schema_name="notifier", records=pop.preferences,
        columns=["staff_id", "client_id", "email", "frequency", "changed_at", "first_digest_at"])
    await conn.copy_records_to_table(
        "task_figures", schema_name="notifier", records=pop.figures,
        columns=["client_id", "missing_receipts", "ready_for_export", "wallet_balance_minor",
                 "wallet_currency", "wallet_sequence", "tasks_updated_at"])
    await conn.execute("analyze notifier.staff; analyze notifier.clients;"
                       " analyze notifier.preferences; analyze notifier.task_figures")


async def remove(conn: asyncpg.Connection, pop: Population, origin: str) -> None:
    """Take the run's data out again, so that later runs and tests do not meet it."""
    firms, clients = pop.firms, pop.client_ids
    async with conn.transaction():
        await conn.execute("delete from notifier.email_outbox where origin = $1", origin)
        await conn.execute("delete from notifier.preferences where client_id = any($1::uuid[])",
                           clients)
        await conn.execute("delete from notifier.expense_state where client_id = any($1::uuid[])",
                           clients)
        await conn.execute("delete from notifier.task_figures where client_id = any($1::uuid[])",
                           clients)
        await conn.execute("delete from notifier.clients where firm_id = any($1::uuid[])", firms)
        await conn.execute("delete from notifier.staff where firm_id = any($1::uuid[])", firms)
