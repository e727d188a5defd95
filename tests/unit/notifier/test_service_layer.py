"""The notifier's service layer and its per-batch handling against an in-memory unit of work:
the read model keeps the newest of everything, replays change nothing, a reminder writes one
email per recipient, a tick writes the digests its day owes, once."""

import uuid
from datetime import UTC, datetime, timedelta
from functools import partial

import pytest

from services.notifier.consumers.idempotent import idempotent
from services.notifier.service_layer import directory
from services.notifier.service_layer.digests import ticks_arrived
from services.notifier.service_layer.reminders import reminder_requested
from shared.task_figures import expenses_changed, wallets_changed
from tests.integration.notifier import factories as f
from tests.unit.notifier.fake_notifier_unit_of_work import FakeNotifierUnitOfWork

TZ, HOUR = "Europe/Copenhagen", 10
T0 = datetime(2026, 3, 25, 12, tzinfo=UTC)  # a Wednesday
MONDAY_SEND = datetime(2026, 3, 30, 8, tzinfo=UTC)  # 10:00 in Copenhagen (summer time)
TUESDAY_SEND = MONDAY_SEND + timedelta(days=1)
preferences_changed = partial(directory.preferences_changed, tz=TZ, hour=HOUR)
write_digests = partial(ticks_arrived, tz=TZ, hour=HOUR, origin="notifier", mail_domain="x.test")


@pytest.fixture
def uow():
    return FakeNotifierUnitOfWork()


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def staff(staff_id, firm_id, *, name="Anna", role="admin", active=True, time=T0):
    return f.staff_upserted(staff_id=staff_id, firm_id=firm_id, email=f"{name}@firm.example",
                            name=name, role=role, active=active, time=time)


async def test_of_staff_events_the_newest_wins_in_a_batch_and_across_batches(uow):
    person, firm = uuid.uuid4(), uuid.uuid4()
    await directory.staff_changed(uow, f.as_events(staff(person, firm, name="New", time=at(2)),
                                                   staff(person, firm, name="Old", time=at(1))))
    await directory.staff_changed(uow, f.as_events(staff(person, firm, name="Older", time=at(0))))
    assert uow.rows.staff[person].name == "New"
    await directory.staff_changed(uow, f.as_events(staff(person, firm, name="Newer", time=at(3),
                                                         active=False)))
    assert (uow.rows.staff[person].name, uow.rows.staff[person].active) == ("Newer", False)
    assert uow.commits == 3


async def test_a_client_is_kept_per_firm_link_with_its_own_state_and_assignees(uow):
    client, firm_a, firm_b, keeper = uuid.uuid4(), uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    # The assignees may come before the link itself: a placeholder keeps them.
    await directory.assignees_changed(uow, f.as_events(
        f.assignees_changed(client_id=client, firm_id=firm_a, staff_ids=[keeper], time=at(1))))
    await directory.clients_changed(uow, f.as_events(
        f.client_upserted(client_id=client, firm_id=firm_a, name="Noir A", time=at(2)),
        f.client_upserted(client_id=client, firm_id=firm_b, name="Noir B",
                          link_state="declined", time=at(2)),
        f.client_upserted(client_id=client, firm_id=firm_a, name="Noir (old)", time=at(0))))
    a, b = uow.rows.links[(firm_a, client)], uow.rows.links[(firm_b, client)]
    assert (a.name, a.link_state, a.assignee_ids) == ("Noir A", "active", (keeper,))
    assert (b.name, b.link_state, b.assignee_ids) == ("Noir B", "declined", ())
    await directory.assignees_changed(uow, f.as_events(
        f.assignees_changed(client_id=client, firm_id=firm_a, staff_ids=[], time=at(0))))
    assert uow.rows.links[(firm_a, client)].assignee_ids == (keeper,)  # older: ignored


async def test_a_setting_turned_on_starts_next_monday_and_keeps_that_start(uow):
    person, client = uuid.uuid4(), uuid.uuid4()
    await preferences_changed(uow, f.as_events(
        f.preference_changed(staff_id=person, client_id=client, changed_at=at(0))))
    assert uow.rows.preferences[(person, client)].first_digest_at == MONDAY_SEND
    # A week later, a change that keeps email on keeps the stored start.
    later = at(7 * 24 * 60)
    await preferences_changed(uow, f.as_events(
        f.preference_changed(staff_id=person, client_id=client, changed_at=later,
                             frequency="daily")))
    stored = uow.rows.preferences[(person, client)]
    assert (stored.frequency, stored.first_digest_at) == ("daily", MONDAY_SEND)
    # An older change arriving late changes nothing.
    await preferences_changed(uow, f.as_events(
        f.preference_changed(staff_id=person, client_id=client, changed_at=at(1), email=False)))
    assert uow.rows.preferences[(person, client)] == stored


async def test_expense_and_wallet_events_make_the_clients_figures(uow):
    client = uuid.uuid4()
    await expenses_changed(uow, f.as_events(
        f.expense_created(client_id=client, expense_id="e1"),
        f.expense_created(client_id=client, expense_id="e2"),
        f.expense_flag("expense.receipt_attached", client_id=client, expense_id="e2"),
        f.expense_flag("expense.ready_for_export", client_id=client, expense_id="e2")))
    # A receipt attached before the expense is known still counts once it is.
    await expenses_changed(uow, f.as_events(
        f.expense_flag("expense.receipt_waived", client_id=client, expense_id="e3")))
    await expenses_changed(uow, f.as_events(f.expense_created(client_id=client, expense_id="e3")))
    assert uow.rows.counts(client) == (1, 1)
    await wallets_changed(uow, f.as_events(
        f.wallet_changed(client_id=client, balance_minor=500, sequence=2),
        f.wallet_changed(client_id=client, balance_minor=100, sequence=1)))
    await wallets_changed(uow, f.as_events(
        f.wallet_changed(client_id=client, balance_minor=50, sequence=0)))
    assert uow.rows.wallets[client].balance_minor == 500


async def test_a_replayed_batch_is_claimed_once_and_changes_nothing(uow):
    client = uuid.uuid4()
    applied = []

    async def apply(unit, events):
        applied.append([e.id for e in events])
        await expenses_changed(unit, events)

    handle = idempotent(lambda: uow, "notifier.expenses", apply)
    created = f.expense_created(client_id=client, expense_id="e1")
    batch = f.as_events(created, f.expense_created(client_id=client, expense_id="e2"), created)
    await handle(batch)
    await handle(batch)
    assert applied == [[batch[0].id, batch[1].id]]  # the duplicate in the batch: once
    assert uow.rows.counts(client) == (2, 0)
    assert uow.claimed["notifier.expenses"] == {batch[0].id, batch[1].id}


async def test_a_failing_batch_leaves_neither_its_effects_nor_its_claims(uow):
    person, firm = uuid.uuid4(), uuid.uuid4()

    async def apply(unit, events):
        await directory.staff_changed(unit, events)
        raise RuntimeError("the next statement failed")

    batch = f.as_events(staff(person, firm))
    with pytest.raises(RuntimeError):
        await idempotent(lambda: uow, "notifier.staff", apply)(batch)
    assert uow.rows.staff == {} and uow.claimed == {} and uow.rollbacks == 1
    await idempotent(lambda: uow, "notifier.staff", directory.staff_changed)(batch)
    assert person in uow.rows.staff


async def test_a_reminder_writes_one_email_per_recipient_once(uow):
    client, firm, admin = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    keepers = [uuid.uuid4(), uuid.uuid4()]
    await directory.clients_changed(uow, f.as_events(
        f.client_upserted(client_id=client, firm_id=firm, name="Noir")))
    await expenses_changed(uow, f.as_events(f.expense_created(client_id=client, expense_id="e")))
    reminder = f.reminder_requested(client_id=client, firm_id=firm, admin_id=admin,
                                    tasks=["missing_receipts"], recipient_ids=keepers)
    [event] = f.as_events(reminder)
    assert await reminder_requested(uow, event, origin="notifier", mail_domain="x.test") == 2
    assert {k for k in uow.rows.reminder_emails} == {(event.data.reminder_id, k)
                                                     for k in keepers}
    assert uow.rows.reminder_emails[(event.data.reminder_id, keepers[0])] == {
        "client_name": "Noir", "tasks": ["missing_receipts"], "missing_receipts": 1,
        "ready_for_export": 0}
    # The same reminder again (another event id): no email more.
    [again] = f.as_events(reminder.model_copy(update={"id": str(uuid.uuid4())}))
    assert await reminder_requested(uow, again, origin="notifier", mail_domain="x.test") == 0
    assert len(uow.rows.reminder_emails) == 2 and uow.rows.senders_woken == ["notifier"]


async def _firm_with_settings(uow, frequency="weekly"):
    """An admin and two bookkeepers of one firm, one assigned to its one active client; all
    three with email on for it since Wednesday."""
    firm, client = uuid.uuid4(), uuid.uuid4()
    admin, assigned, other = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    await directory.staff_changed(uow, f.as_events(
        staff(admin, firm), staff(assigned, firm, name="Bea", role="bookkeeper"),
        staff(other, firm, name="Cas", role="bookkeeper")))
    await directory.clients_changed(uow, f.as_events(
        f.client_upserted(client_id=client, firm_id=firm, name="Noir")))
    await directory.assignees_changed(uow, f.as_events(
        f.assignees_changed(client_id=client, firm_id=firm, staff_ids=[assigned])))
    await preferences_changed(uow, f.as_events(*(
        f.preference_changed(staff_id=s, client_id=client, changed_at=T0, frequency=frequency)
        for s in (admin, assigned, other))))
    return client, admin, assigned


async def test_a_tick_after_the_send_hour_writes_the_days_digests_once(uow):
    client, admin, assigned = await _firm_with_settings(uow)
    ticks = f.as_events(f.tick(MONDAY_SEND - timedelta(minutes=1)))
    assert await write_digests(uow, ticks) == 0  # before 10:00: nothing owed yet
    assert await write_digests(uow, f.as_events(f.tick(MONDAY_SEND))) == 2
    assert uow.rows.digests == {(admin, MONDAY_SEND): [client], (assigned, MONDAY_SEND): [client]}
    # Later ticks of the day (or the first one after downtime) owe the same send time.
    assert await write_digests(uow, f.as_events(f.tick(MONDAY_SEND + timedelta(hours=3)))) == 0
    assert len(uow.rows.digests) == 2


async def test_a_weekly_setting_is_not_due_on_a_tuesday_a_daily_one_is(uow):
    await _firm_with_settings(uow, frequency="weekly")
    assert await write_digests(uow, f.as_events(f.tick(TUESDAY_SEND))) == 0
    daily = FakeNotifierUnitOfWork()
    await _firm_with_settings(daily, frequency="daily")
    assert await write_digests(daily, f.as_events(f.tick(TUESDAY_SEND))) == 2


async def test_one_batch_of_ticks_over_two_days_writes_both_days(uow):
    await _firm_with_settings(uow, frequency="daily")
    ticks = f.as_events(f.tick(TUESDAY_SEND + timedelta(minutes=5)), f.tick(MONDAY_SEND))
    assert await write_digests(uow, ticks) == 4
    assert sorted({t for _, t in uow.rows.digests}) == [MONDAY_SEND, TUESDAY_SEND]
