"""Reminders from admins to a client's bookkeepers (PRODUCT section 6)."""

import uuid

import pytest

from tests.integration.clients.world import expense_event, uow, wallet_event
from tests.integration.http_errors import assert_error
from services.clients.consumers.figures import apply_expenses, apply_wallets


@pytest.fixture
async def staffed(world):
    firm = await world.firm()
    admin = await world.staff(firm, "admin")
    ann, bob = await world.staff(firm), await world.staff(firm)
    client = await world.client(firm)
    await world.assign(admin, client, ann, bob, admin)
    return admin, ann, bob, client


async def test_reminder_goes_to_every_assigned_bookkeeper_and_is_announced(api, world, staffed):
    admin, ann, bob, client = staffed
    r = await api.post(f"/v1/clients/{client}/reminders",
                       json={"tasks": ["wallet_balance", "missing_receipts"],
                             "comment": "<b>November</b>"}, headers=admin.headers)
    assert r.status_code == 202, r.text
    assert r.json()["recipient_count"] == 2
    [event] = await world.outbox(client, "reminder.requested")
    assert str(event.data.reminder_id) == r.json()["reminder_id"]
    assert sorted(event.data.recipient_ids) == sorted([ann.id, bob.id])
    assert event.data.tasks == ("missing_receipts", "wallet_balance")
    assert event.data.comment == "<b>November</b>" and event.data.admin_id == admin.id
    listed = (await api.get(f"/v1/clients/{client}/reminders", headers=admin.headers)).json()
    assert [x["reminder_id"] for x in listed["items"]] == [r.json()["reminder_id"]]


async def test_idempotency_key_sends_nothing_twice(api, world, staffed):
    admin, _, _, client = staffed
    key = {"Idempotency-Key": uuid.uuid4().hex, **admin.headers}
    body = {"tasks": ["missing_receipts"], "comment": "please"}
    first = await api.post(f"/v1/clients/{client}/reminders", json=body, headers=key)
    second = await api.post(f"/v1/clients/{client}/reminders", json=body, headers=key)
    assert first.status_code == second.status_code == 202
    assert first.json() == second.json()
    assert len(await world.outbox(client, "reminder.requested")) == 1
    other = await api.post(f"/v1/clients/{client}/reminders",
                           json={"tasks": ["ready_for_export"]}, headers=key)
    assert assert_error(other, 409)["code"] == "idempotency_key_reused"
    fresh = await api.post(f"/v1/clients/{client}/reminders", json=body, headers=admin.headers)
    assert fresh.json()["reminder_id"] != first.json()["reminder_id"]


async def test_no_bookkeeper_assigned_is_a_clear_409_and_nothing_is_sent(api, world):
    firm = await world.firm()
    admin = await world.staff(firm, "admin")
    client = await world.client(firm)
    await world.assign(admin, client, admin)  # an admin is not a bookkeeper
    err = assert_error(await api.post(f"/v1/clients/{client}/reminders",
                                      json={"tasks": ["missing_receipts"]},
                                      headers=admin.headers), 409)
    assert err["code"] == "no_bookkeeper_assigned" and "bookkeeper" in err["message"]
    assert await world.outbox(client, "reminder.requested") == []


async def test_only_admins_and_only_active_clients(api, world, staffed):
    admin, ann, _, client = staffed
    assert_error(await api.post(f"/v1/clients/{client}/reminders",
                                json={"tasks": ["missing_receipts"]}, headers=ann.headers), 403)
    assert_error(await api.get(f"/v1/clients/{client}/reminders", headers=ann.headers), 403)
    await world.set_state(admin.firm_id, client, "onboarding")
    assert_error(await api.post(f"/v1/clients/{client}/reminders",
                                json={"tasks": ["missing_receipts"]},
                                headers=admin.headers), 404)


@pytest.mark.parametrize("body", [
    {"tasks": []}, {"tasks": ["coffee"]}, {"tasks": "missing_receipts"}, {},
    {"tasks": ["missing_receipts"], "comment": "x" * 1001},
    {"tasks": ["missing_receipts"], "comment": 5},
])
async def test_bad_reminders_are_422(api, world, staffed, body):
    admin, _, _, client = staffed
    assert_error(await api.post(f"/v1/clients/{client}/reminders", json=body,
                                headers=admin.headers), 422)
    assert await world.outbox(client, "reminder.requested") == []


async def test_comment_of_exactly_1000_characters_is_fine(api, staffed):
    admin, _, _, client = staffed
    r = await api.post(f"/v1/clients/{client}/reminders",
                       json={"tasks": ["ready_for_export"], "comment": "é" * 1000},
                       headers=admin.headers)
    assert r.status_code == 202


async def statuses(api, admin, client) -> list[str]:
    r = await api.get(f"/v1/clients/{client}/reminders", headers=admin.headers)
    return [x["status"] for x in r.json()["items"]]


async def test_reminder_resolves_when_its_tasks_are_done_and_stays_resolved(api, world, staffed):
    admin, _, _, client = staffed
    await world.figures(client, missing=1, balance=1000, sequence=1)
    expense_id = (await world.pool.fetchval(
        "select expense_id from clients.expense_state where client_id = $1 and missing", client))
    await api.post(f"/v1/clients/{client}/reminders", json={"tasks": ["missing_receipts"]},
                   headers=admin.headers)
    await api.post(f"/v1/clients/{client}/reminders", json={"tasks": ["wallet_balance"]},
                   headers=admin.headers)
    assert await statuses(api, admin, client) == ["open", "open"]
    await apply_wallets(uow(world), [wallet_event(client, 900, 2)])  # fell: still open
    assert await statuses(api, admin, client) == ["open", "open"]
    await apply_expenses(uow(world), [expense_event("expense.receipt_attached", client,
                                                    expense_id)])
    assert await statuses(api, admin, client) == ["open", "resolved"]
    await apply_wallets(uow(world), [wallet_event(client, 5000, 3)])  # rose: resolved
    assert await statuses(api, admin, client) == ["resolved", "resolved"]
    await world.figures(client, missing=2)  # new work does not reopen an old reminder
    assert await statuses(api, admin, client) == ["resolved", "resolved"]
