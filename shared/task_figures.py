"""Per-client task figures derived from platform events, shared by clients and notifier.

PRODUCT section 4: counts come from per-expense state, never from +1/-1 per event. Each
expense event only ever switches flags on (created, has_receipt, waived, ready, exported,
deleted), so applying the same event twice or in any order gives the same state; the
client's counts are then recounted from the expense rows that are outstanding (partial
indexes keep that cheap). The wallet balance is the one of the highest `sequence`.

Both schemas that use this hold the same two tables (the `task_figures` table group,
shared/db/table_groups):
    <schema>.expense_state (client_id uuid, expense_id text, created bool, receipt_required
        bool, has_receipt bool, waived bool, ready bool, exported bool, deleted bool,
        missing bool generated, outstanding_export bool generated, primary key (client_id,
        expense_id))
    <schema>.task_figures (client_id uuid primary key, missing_receipts int,
        ready_for_export int, wallet_balance_minor bigint, wallet_currency text,
        wallet_sequence bigint, tasks_updated_at timestamptz)
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from typing import Protocol, Self
from uuid import UUID

import asyncpg

from shared.events import Event

FLAG_OF_TYPE = {
    "expense.receipt_attached": "has_receipt",
    "expense.receipt_waived": "waived",
    "expense.ready_for_export": "ready",
    "expense.exported": "exported",
    "expense.deleted": "deleted",
}
EXPENSE_TYPES = ("expense.created", *FLAG_OF_TYPE)


@dataclass
class ExpenseFlags:
    """What the events seen so far say about one expense; merging is a logical OR."""

    client_id: UUID
    expense_id: str
    created: bool = False
    receipt_required: bool | None = None
    has_receipt: bool = False
    waived: bool = False
    ready: bool = False
    exported: bool = False
    deleted: bool = False

    def apply(self, event: Event) -> None:
        if event.type == "expense.created":
            self.created = True
            self.receipt_required = event.data.receipt_required
            self.has_receipt = self.has_receipt or event.data.has_receipt
        else:
            setattr(self, FLAG_OF_TYPE[event.type], True)


def fold_expense_events(events: Iterable[Event]) -> list[ExpenseFlags]:
    """Merge a batch of expense events into one flag set per expense."""
    merged: dict[tuple[UUID, str], ExpenseFlags] = {}
    for event in events:
        key = (event.data.client_id, event.data.expense_id)
        flags = merged.get(key) or merged.setdefault(key, ExpenseFlags(*key))
        flags.apply(event)
    return list(merged.values())


def latest_wallet_events(events: Iterable[Event]) -> list[Event]:
    """Per client, the wallet event with the highest sequence in the batch."""
    latest: dict[UUID, Event] = {}
    for event in events:
        seen = latest.get(event.data.client_id)
        if seen is None or event.envelope.sequence > seen.envelope.sequence:
            latest[event.data.client_id] = event
    return list(latest.values())


async def apply_expense_events(
    conn: asyncpg.Connection, schema: str, events: Iterable[Event]
) -> list[UUID]:
    """Merge expense events into `schema`'s expense state, recount; return touched clients."""
    folded = fold_expense_events(events)
    if not folded:
        return []
    columns = [f.name for f in fields(ExpenseFlags)]
    arrays = [[getattr(f, c) for f in folded] for c in columns]
    await conn.execute(
        f"""
        insert into {schema}.expense_state as e ({", ".join(columns)})
        select * from unnest($1::uuid[], $2::text[], $3::bool[], $4::bool[], $5::bool[],
                             $6::bool[], $7::bool[], $8::bool[], $9::bool[])
        on conflict (client_id, expense_id) do update set
            created = e.created or excluded.created,
            receipt_required = coalesce(excluded.receipt_required, e.receipt_required),
            has_receipt = e.has_receipt or excluded.has_receipt,
            waived = e.waived or excluded.waived,
            ready = e.ready or excluded.ready,
            exported = e.exported or excluded.exported,
            deleted = e.deleted or excluded.deleted
        """,
        *arrays,
    )
    clients = sorted({f.client_id for f in folded})
    await conn.execute(
        f"""
        insert into {schema}.task_figures as t
            (client_id, missing_receipts, ready_for_export, tasks_updated_at)
        select c.id,
               (select count(*) from {schema}.expense_state
                 where client_id = c.id and missing),
               (select count(*) from {schema}.expense_state
                 where client_id = c.id and outstanding_export),
               now()
        from unnest($1::uuid[]) as c(id)
        on conflict (client_id) do update set
            missing_receipts = excluded.missing_receipts,
            ready_for_export = excluded.ready_for_export,
            tasks_updated_at = excluded.tasks_updated_at
        """,
        clients,
    )
    return clients


async def apply_wallet_events(
    conn: asyncpg.Connection, schema: str, events: Iterable[Event]
) -> list[UUID]:
    """Keep per client the balance of the highest sequence seen; return touched clients."""
    latest = latest_wallet_events(events)
    if not latest:
        return []
    rows = await conn.fetch(
        f"""
        insert into {schema}.task_figures as t (client_id, wallet_balance_minor,
            wallet_currency, wallet_sequence, tasks_updated_at)
        select *, now() from unnest($1::uuid[], $2::bigint[], $3::text[], $4::bigint[])
        on conflict (client_id) do update set
            wallet_balance_minor = excluded.wallet_balance_minor,
            wallet_currency = excluded.wallet_currency,
            wallet_sequence = excluded.wallet_sequence,
            tasks_updated_at = excluded.tasks_updated_at
        where t.wallet_sequence is null or t.wallet_sequence < excluded.wallet_sequence
        returning client_id
        """,
        [e.data.client_id for e in latest],
        [e.data.balance_minor for e in latest],
        [e.data.currency for e in latest],
        [e.envelope.sequence for e in latest],
    )
    return [r["client_id"] for r in rows]


class TaskFigures:
    """The task-figure tables of one schema over a unit of work's connection (its
    repository `uow.figures` in clients and the notifier)."""

    def __init__(self, conn: asyncpg.Connection, schema: str):
        self.conn, self.schema = conn, schema

    async def apply_expenses(self, events: Iterable[Event]) -> list[UUID]:
        return await apply_expense_events(self.conn, self.schema, events)

    async def apply_wallets(self, events: Iterable[Event]) -> list[UUID]:
        return await apply_wallet_events(self.conn, self.schema, events)


class FiguresWork(Protocol):
    """A unit of work with task figures (shared.db.unit_of_work, or a test's fake)."""

    figures: TaskFigures

    async def __aenter__(self) -> Self: ...

    async def __aexit__(self, *exc: object) -> None: ...


async def expenses_changed(uow: FiguresWork, events: Sequence[Event]) -> None:
    """The use case of platform.expenses.v1 in both services: merged into per-expense state,
    the clients' counts recounted."""
    async with uow:
        await uow.figures.apply_expenses(events)


async def wallets_changed(uow: FiguresWork, events: Sequence[Event]) -> None:
    """The use case of `wallet.balance_changed`: each client keeps the balance of the highest
    sequence."""
    async with uow:
        await uow.figures.apply_wallets(events)
