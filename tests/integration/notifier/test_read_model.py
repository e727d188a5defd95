"""The notifier's copy of the partner and platform events: idempotent and order-tolerant
(handlers called as the consumer calls them, against the real PostgreSQL)."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from services.notifier.consumers.partner import partner_handlers
from services.notifier.consumers.platform import expense_handlers, wallet_handlers
from services.notifier.settings import NotifierSettings
from tests.integration.notifier import factories as f

pytestmark = pytest.mark.integration


@pytest.fixture
def handlers(pool):
    return {**partner_handlers(pool, NotifierSettings()), **expense_handlers(pool),
            **wallet_handlers(pool)}


async def apply(handlers, *events):
    """Feed events one handler run at a time, as the dispatcher does."""
    for event in f.as_events(*events):
        await handlers[event.type]([event])


async def test_an_older_staff_event_arriving_late_changes_nothing(handlers, pool):
    staff, firm = uuid.uuid4(), uuid.uuid4()
    now = datetime.now(UTC)
    new = f.staff_upserted(staff_id=staff, firm_id=firm, email="new@example.com", name="New",
                           role="admin", locale="nl", time=now)
    old = f.staff_upserted(staff_id=staff, firm_id=firm, email="old@example.com", name="Old",
                           role="bookkeeper", time=now - timedelta(minutes=5))
    await apply(handlers, new, old, new)
    row = await pool.fetchrow("select email, role, locale from notifier.staff where staff_id = $1",
                              staff)
    assert dict(row) == {"email": "new@example.com", "role": "admin", "locale": "nl"}


async def test_assignees_are_replaced_and_survive_a_client_seen_later(handlers, pool):
    client, firm = uuid.uuid4(), uuid.uuid4()
    a, b, c = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    now = datetime.now(UTC)
    await apply(handlers,
                f.assignees_changed(client_id=client, firm_id=firm, staff_ids=[a, b], time=now),
                f.client_upserted(client_id=client, firm_id=firm, name="Late Client", time=now),
                f.assignees_changed(client_id=client, firm_id=firm, staff_ids=[c],
                                    time=now + timedelta(seconds=1)),
                f.assignees_changed(client_id=client, firm_id=firm, staff_ids=[a],
                                    time=now - timedelta(seconds=1)))  # stale
    row = await pool.fetchrow("select name, link_state, assignee_ids from notifier.clients"
                              " where client_id = $1", client)
    assert (row["name"], row["link_state"], row["assignee_ids"]) == ("Late Client", "active", [c])


async def test_settings_keep_their_first_digest_and_ignore_older_changes(handlers, pool):
    staff, client = uuid.uuid4(), uuid.uuid4()
    turned_on = datetime(2026, 4, 1, 12, tzinfo=UTC)  # a Wednesday
    first = datetime(2026, 4, 6, 8, tzinfo=UTC)       # the Monday after, 10:00 Copenhagen
    await apply(handlers,
                f.preference_changed(staff_id=staff, client_id=client, changed_at=turned_on,
                                     frequency="weekly"),  # no first_digest_at: derived
                f.preference_changed(staff_id=staff, client_id=client, frequency="daily",
                                     changed_at=turned_on + timedelta(days=9)),  # kept on
                f.preference_changed(staff_id=staff, client_id=client, email=False,
                                     changed_at=turned_on - timedelta(days=1)))  # stale
    row = await pool.fetchrow("select email, frequency, first_digest_at from notifier.preferences"
                              " where staff_id = $1 and client_id = $2", staff, client)
    assert dict(row) == {"email": True, "frequency": "daily", "first_digest_at": first}


async def test_expense_and_wallet_events_redelivered_or_reordered_count_once(handlers, pool):
    client = uuid.uuid4()
    created = f.expense_created(client_id=client, expense_id="e1")
    ready = f.expense_flag("expense.ready_for_export", client_id=client, expense_id="e2")
    await apply(handlers,
                f.expense_flag("expense.receipt_attached", client_id=client, expense_id="e3"),
                ready, created, created, ready,
                f.expense_created(client_id=client, expense_id="e2", receipt_required=False),
                f.expense_created(client_id=client, expense_id="e3"),
                f.wallet_changed(client_id=client, balance_minor=500, sequence=7),
                f.wallet_changed(client_id=client, balance_minor=100, sequence=3))
    row = await pool.fetchrow("select missing_receipts, ready_for_export, wallet_balance_minor"
                              " from notifier.task_figures where client_id = $1", client)
    assert dict(row) == {"missing_receipts": 1, "ready_for_export": 1, "wallet_balance_minor": 500}


async def test_one_batch_with_both_firms_links_of_a_client_keeps_both(handlers, pool):
    client, firm_a, firm_b, a, b = (uuid.uuid4() for _ in range(5))
    now = datetime.now(UTC)
    # One handler call, as the agent batches them: the newest event per link wins, not per client.
    upserts = f.as_events(
        f.client_upserted(client_id=client, firm_id=firm_a, name="A's Name", time=now),
        f.client_upserted(client_id=client, firm_id=firm_b, name="B's Name",
                          link_state="onboarding", time=now + timedelta(seconds=1)))
    assignees = f.as_events(
        f.assignees_changed(client_id=client, firm_id=firm_a, staff_ids=[a], time=now),
        f.assignees_changed(client_id=client, firm_id=firm_b, staff_ids=[b],
                            time=now + timedelta(seconds=1)))
    await handlers["client.upserted"](upserts)
    await handlers["client.assignees_changed"](assignees)
    rows = await pool.fetch("select firm_id, name, link_state, assignee_ids from notifier.clients"
                            " where client_id = $1 order by name", client)
    assert [tuple(r) for r in rows] == [(firm_a, "A's Name", "active", [a]),
                                        (firm_b, "B's Name", "onboarding", [b])]
