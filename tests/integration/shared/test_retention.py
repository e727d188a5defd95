"""Retention with the real PostgreSQL: old rows go, recent and unfinished ones stay, and no
client's figures move (docs/RETENTION.md)."""

import dataclasses
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from services.clients.db import retention as clients_retention
from services.clients.settings import ClientsSettings
from services.notifier.db import retention as notifier_retention
from services.notifier.settings import NotifierSettings
from services.onboarding.db import retention as onboarding_retention
from services.onboarding.settings import OnboardingSettings
from shared.db.idempotency import claim_new_events
from shared.db.retention import prune_in_batches, run_prunes
from shared.events import decode, encode
from shared.events.schemas import ExpenseCreated, ExpenseDeleted, ExpenseExported
from shared.events.schemas import ExpenseReadyForExport
from shared.task_figures import apply_expense_events

NOW = datetime.now(UTC)
OLD = NOW - timedelta(days=400)
PRUNES = {"clients": clients_retention.prunes(ClientsSettings(app_env="test")),
          "notifier": notifier_retention.prunes(NotifierSettings(app_env="test")),
          "onboarding": onboarding_retention.prunes(OnboardingSettings(app_env="test"))}


def event(type_, model):
    return decode(encode(type_, model, source="/tests", subject=str(model.client_id)).to_bytes())


def expense_events(client_id):
    """A missing receipt (a), an expense ready for export (b), a deleted one (c), an exported
    one with its receipt (d), an exported one still missing its receipt (e)."""
    def created(eid, required=True, receipt=False):
        return event("expense.created", ExpenseCreated(
            expense_id=eid, client_id=client_id, amount_minor=100, currency="EUR",
            receipt_required=required, has_receipt=receipt, occurred_at=NOW))
    return [created("a"), created("b", required=False),
            event("expense.ready_for_export", ExpenseReadyForExport(expense_id="b",
                                                                    client_id=client_id)),
            created("c"), event("expense.deleted", ExpenseDeleted(expense_id="c",
                                                                  client_id=client_id)),
            created("d", receipt=True), event("expense.exported", ExpenseExported(
                expense_id="d", client_id=client_id)),
            created("e"), event("expense.exported", ExpenseExported(expense_id="e",
                                                                    client_id=client_id))]


async def deliver(pool, schema, consumer, events):
    """As the consumers do: claim the ids, apply the fresh events, in one transaction."""
    async with pool.acquire() as conn, conn.transaction():
        fresh = await claim_new_events(conn, schema, consumer, [e.id for e in events])
        await apply_expense_events(conn, schema, [e for e in events if e.id in fresh])


async def figures(pool, schema, client_id):
    return await pool.fetchrow(f"select missing_receipts, ready_for_export, tasks_updated_at"
                               f" from {schema}.task_figures where client_id = $1", client_id)


@pytest.mark.parametrize("schema", ["clients", "notifier"])
async def test_settled_expenses_go_and_figures_stay_even_after_a_redelivery(pool, schema,
                                                                           unique):
    client_id, consumer = uuid.uuid4(), f"test.retention.{unique}"
    events = expense_events(client_id)
    await deliver(pool, schema, consumer, events)
    before = await figures(pool, schema, client_id)
    assert (before["missing_receipts"], before["ready_for_export"]) == (2, 1)
    stamped = {r["expense_id"]: r["settled_at"] for r in await pool.fetch(
        f"select expense_id, settled_at from {schema}.expense_state where client_id = $1",
        client_id)}
    assert {e for e, at in stamped.items() if at} == {"c", "d"}
    # Another expense settles after c and d; the prune runs when c and d are just past the
    # retention. The migration's trigger stamps every write, so the clock moves instead of
    # the rows, and the service's own prune is scoped to this test's clients: other tests
    # share the database.
    other = uuid.uuid4()
    await deliver(pool, schema, consumer, [event("expense.deleted", ExpenseDeleted(
        expense_id="z", client_id=other))])
    [prune] = [p for p in PRUNES[schema] if p.name == f"{schema}.expense_state"]
    mine = f"settled_at < $1 and client_id in ('{client_id}', '{other}')"
    scoped = dataclasses.replace(prune, sql=prune.sql.replace("settled_at < $1", mine))
    assert scoped.sql != prune.sql
    later = max(at for at in stamped.values() if at) + prune.kept + timedelta(microseconds=1)

    await prune_in_batches(pool, scoped, later, batch_size=1)

    left = await pool.fetch(f"select expense_id from {schema}.expense_state"
                            f" where client_id = any($1::uuid[])", [client_id, other])
    assert sorted(r["expense_id"] for r in left) == ["a", "b", "e", "z"]
    assert await figures(pool, schema, client_id) == before
    # Kafka redelivers the whole history: the ids are still known, nothing comes back
    await deliver(pool, schema, consumer, events)
    assert await figures(pool, schema, client_id) == before
    left = await pool.fetch(f"select expense_id from {schema}.expense_state"
                            f" where client_id = $1", client_id)
    assert sorted(r["expense_id"] for r in left) == ["a", "b", "e"]


async def test_clients_audit_grants_reminders_and_openings(pool, unique):
    firm, client, staff = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    await pool.execute("insert into clients.firms (id, name) values ($1, 'F')", firm)
    await pool.execute("insert into clients.companies (id, name, country) values ($1, 'C', 'NL')",
                       client)
    await pool.execute("insert into clients.links (firm_id, client_id, state, name,"
                       " registration_number, country) values ($1, $2, 'active', 'C', '', 'NL')",
                       firm, client)
    await pool.execute("insert into clients.staff (id, firm_id, email, name, role, locale)"
                       " values ($1, $2, $3, 'A', 'admin', 'en')", staff, firm, f"{unique}@x.example")
    for action, at in (("old", OLD), ("recent", NOW - timedelta(days=1))):
        await pool.execute("insert into clients.audit_log (firm_id, staff_id, action, at)"
                           " values ($1, $2, $3, $4)", firm, staff, action, at)
    grants = {"expired long ago": OLD, "expired yesterday": NOW - timedelta(days=1),
              "valid": NOW + timedelta(minutes=5)}
    grant_ids = {}
    for name, expires in grants.items():
        grant_ids[name] = uuid.uuid4()
        await pool.execute("insert into clients.access_grants (id, firm_id, client_id, staff_id,"
                           " expires_at) values ($1, $2, $3, $4, $5)",
                           grant_ids[name], firm, client, staff, expires)
    reminders = {"resolved long ago": OLD, "resolved lately": NOW - timedelta(days=2),
                 "open and old": None}
    reminder_ids = {}
    for name, resolved in reminders.items():
        reminder_ids[name] = uuid.uuid4()
        await pool.execute(
            "insert into clients.reminders (id, firm_id, client_id, admin_id, tasks,"
            " recipient_ids, request_fingerprint, missing_receipts_at_request,"
            " ready_for_export_at_request, created_at, resolved_at)"
            " values ($1, $2, $3, $4, '{missing_receipts}', '{}', 'f', 1, 0, $5, $6)",
            reminder_ids[name], firm, client, staff, OLD, resolved)
    openings = {"opened long ago": OLD, "refused long ago": None, "pending": None}
    opening_ids = {}
    for name, opened in openings.items():
        opening_ids[name] = uuid.uuid4()
        await pool.execute(
            "insert into clients.case_openings (case_id, client_id, firm_id, contact_email,"
            " created_at, opened_at, rejected_at, next_attempt_at)"
            " values ($1, $2, $3, 'a@b.example', $4, $5, $6, now() + interval '1 day')",
            opening_ids[name], client, firm, OLD, opened,
            OLD if name.startswith("refused") else None)

    await run_prunes(pool, PRUNES["clients"], NOW, batch_size=1000)

    assert [r["action"] for r in await pool.fetch(
        "select action from clients.audit_log where firm_id = $1", firm)] == ["recent"]
    kept = {r["id"] for r in await pool.fetch(
        "select id from clients.access_grants where firm_id = $1", firm)}
    assert kept == {grant_ids["expired yesterday"], grant_ids["valid"]}
    kept = {r["id"] for r in await pool.fetch(
        "select id from clients.reminders where firm_id = $1", firm)}
    assert kept == {reminder_ids["resolved lately"], reminder_ids["open and old"]}
    kept = {r["case_id"] for r in await pool.fetch(
        "select case_id from clients.case_openings where firm_id = $1", firm)}
    assert kept == {opening_ids["refused long ago"], opening_ids["pending"]}


async def test_notifier_prunes_sent_and_failed_emails_never_pending(pool, unique):
    origin, staff = f"test.retention.{unique}", uuid.uuid4()
    rows = {"sent long ago": ("sent", OLD), "failed long ago": ("failed", OLD),
            "pending long ago": ("pending", OLD), "sent lately": ("sent", NOW)}
    for name, (status, created) in rows.items():
        email_id = uuid.uuid4()
        await pool.execute(
            "insert into notifier.email_outbox (id, kind, origin, staff_id, reminder_id,"
            " message_id, payload, status, created_at) values ($1, 'reminder', $2, $3, $4, $5,"
            " $6, $7, $8)", email_id, origin, staff, uuid.uuid4(), f"<{email_id}@t>",
            {"name": name}, status, created)

    await run_prunes(pool, PRUNES["notifier"], NOW, batch_size=1)

    kept = await pool.fetch("select payload->>'name' as name from notifier.email_outbox"
                            " where origin = $1", origin)
    assert sorted(r["name"] for r in kept) == ["pending long ago", "sent lately"]


async def test_onboarding_prunes_the_history_of_cases_that_ended_long_ago(pool):
    cases = {"verified long ago": ("verified", OLD), "verified lately": ("verified", NOW),
             "in review since long": ("in_review", OLD)}
    ids = {}
    for name, (state, at) in cases.items():
        ids[name] = uuid.uuid4()
        await pool.execute(
            "insert into onboarding.verification_cases (id, client_id, firm_id, contact_email,"
            " state, version, created_at, updated_at) values ($1, $2, $3, 'a@b.example', $4,"
            " 2, $5, $5)", ids[name], uuid.uuid4(), uuid.uuid4(), state, at)
        for version, (old, new) in enumerate([(None, "invited"), ("invited", state)], 1):
            await pool.execute(
                "insert into onboarding.case_transitions (case_id, version, from_state, to_state,"
                " source, event_id, occurred_at) values ($1, $2, $3, $4, 'internal', $5, $6)",
                ids[name], version, old, new, str(uuid.uuid4()), at)

    await run_prunes(pool, PRUNES["onboarding"], NOW, batch_size=1)

    counts = {name: await pool.fetchval("select count(*) from onboarding.case_transitions"
                                        " where case_id = $1", case_id)
              for name, case_id in ids.items()}
    assert counts == {"verified long ago": 0, "verified lately": 2, "in review since long": 2}
    state = await pool.fetchval("select state from onboarding.verification_cases where id = $1",
                                ids["verified long ago"])
    assert state == "verified"


async def test_a_prune_deletes_in_bounded_batches(pool, unique):
    consumer = f"test.batches.{unique}"
    await pool.execute("insert into clients.processed_events (consumer, event_id, processed_at)"
                       " select $1, g::text, $2 from generate_series(1, 25) g", consumer, OLD)
    [processed] = [p for p in PRUNES["clients"] if p.name == "clients.processed_events"]
    statements = []

    class Counting:
        """The pool, counting the DELETE statements it runs."""

        async def execute(self, sql, *args):
            statements.append(args)
            return await pool.execute(sql, *args)

    deleted = await prune_in_batches(Counting(), processed, NOW, batch_size=10)
    assert deleted >= 25 and len(statements) >= 3  # 10 + 10 + 5 (and any older leftovers)
    assert all(args[1] == 10 for args in statements)
    assert not await pool.fetchval("select count(*) from clients.processed_events"
                                   " where consumer = $1", consumer)


ALL_PRUNES = [(schema, p) for schema, prunes in PRUNES.items() for p in prunes]


@pytest.mark.parametrize(("schema", "prune"), ALL_PRUNES, ids=[p.name for _, p in ALL_PRUNES])
async def test_every_prune_finds_its_rows_through_an_index(pool, schema, prune):
    """With sequential scans priced out, the planner still scans the table the prune picks
    rows from by an index, never in full: there is an index that serves the prune."""
    table = prune.name
    async with pool.acquire() as conn, conn.transaction():
        await conn.execute("set local enable_seqscan = off")
        plan = "\n".join(r[0] for r in await conn.fetch(
            f"explain {prune.sql}", NOW - prune.kept, 1000))
    assert f"Seq Scan on {table.split('.')[1]}" not in plan, plan
    assert "Index" in plan, plan
