"""Platform and onboarding events into the read model: idempotent and order-tolerant."""

import asyncio
import uuid

from aiokafka import AIOKafkaConsumer

from services.clients.consumers.companies import apply_invitations
from services.clients.consumers.figures import apply_expenses, apply_wallets
from services.clients.consumers.verification import apply_verification
from services.clients.consumers.wiring import build_consumer
from tests.integration.clients.world import (expense_created, expense_event, invited_event,
                                             uow, verification_event, wallet_event)


async def figures(api, admin, client) -> tuple:
    item = (await api.get(f"/v1/clients/{client}", headers=admin.headers)).json()
    balance = item["wallet_balance"]
    return (item["missing_receipts"], item["ready_for_export"],
            balance and balance["amount_minor"])


async def test_a_replayed_batch_gives_the_same_figures(api, world):
    firm = await world.firm()
    admin = await world.staff(firm, "admin")
    client = await world.client(firm)
    batch = [expense_created(client, "e1"), expense_created(client, "e2"),
             expense_created(client, "e3", receipt_required=False),
             expense_event("expense.ready_for_export", client, "e3"),
             expense_event("expense.receipt_attached", client, "e2"),
             wallet_event(client, 700, 4)]
    await apply_expenses(uow(world), batch[:5])
    await apply_wallets(uow(world), batch[5:])
    once = await figures(api, admin, client)
    assert once == (1, 1, 700)
    await apply_expenses(uow(world), batch[:5])
    await apply_expenses(uow(world), batch[:5] + batch[:5])
    await apply_wallets(uow(world), batch[5:])
    assert await figures(api, admin, client) == once


async def test_same_fact_under_a_new_event_id_never_counts_twice(api, world):
    firm = await world.firm()
    admin = await world.staff(firm, "admin")
    client = await world.client(firm)
    await apply_expenses(uow(world), [expense_created(client, "x")])
    await apply_expenses(uow(world), [expense_created(client, "x")])  # redelivered, new id
    assert await figures(api, admin, client) == (1, 0, None)


async def test_out_of_order_expense_events_never_go_negative(api, world):
    firm = await world.firm()
    admin = await world.staff(firm, "admin")
    client = await world.client(firm)
    await apply_expenses(uow(world), [expense_event("expense.receipt_attached", client, "e1"),
                                      expense_event("expense.exported", client, "e2")])
    assert await figures(api, admin, client) == (0, 0, None)
    await apply_expenses(uow(world), [expense_event("expense.ready_for_export", client, "e2")])
    await apply_expenses(uow(world), [expense_created(client, "e1"),
                                      expense_created(client, "e2", receipt_required=False)])
    assert await figures(api, admin, client) == (0, 0, None)
    await apply_expenses(uow(world), [expense_created(client, "e3"),
                                      expense_event("expense.deleted", client, "e4")])
    await apply_expenses(uow(world), [expense_created(client, "e4")])
    assert await figures(api, admin, client) == (1, 0, None)


async def test_the_highest_wallet_sequence_wins_whatever_the_arrival_order(api, world):
    firm = await world.firm()
    admin = await world.staff(firm, "admin")
    client = await world.client(firm)
    await apply_wallets(uow(world), [wallet_event(client, 300, 3)])
    await apply_wallets(uow(world), [wallet_event(client, 100, 1), wallet_event(client, 200, 2)])
    assert await figures(api, admin, client) == (0, 0, 300)
    await apply_wallets(uow(world), [wallet_event(client, 500, 5), wallet_event(client, 400, 4)])
    assert await figures(api, admin, client) == (0, 0, 500)


async def test_figures_that_arrive_before_the_link_show_once_it_exists(api, world):
    firm = await world.firm()
    admin = await world.staff(firm, "admin")
    client = await world.client(None, name="Early")
    await apply_expenses(uow(world), [expense_created(client, "e1")])
    await apply_wallets(uow(world), [wallet_event(client, 42, 1)])
    await world.post_internal(f"/internal/v1/firms/{firm}/links",
                              {"client_id": str(client), "state": "active"})
    assert await figures(api, admin, client) == (1, 0, 42)


async def test_bookkeeper_invitation_creates_a_pending_link_once(api, world, runtime):
    firm = await world.firm()
    admin = await world.staff(firm, "admin")
    client = uuid.uuid4()
    event = invited_event(client, firm, name="Bakkerij Ødegaard", reg="NL99")
    await apply_invitations(runtime.unit_of_work(), [event, event])
    await apply_invitations(runtime.unit_of_work(), [event])
    r = await api.get("/v1/clients", params={"tab": "invitations"}, headers=admin.headers)
    [item] = r.json()["items"]
    assert item["name"] == "Bakkerij Ødegaard" and item["link_state"] == "invitation_pending"
    assert len(await world.outbox(client, "client.upserted")) == 1


async def link_state(world, firm, client) -> str:
    return await world.pool.fetchval(
        "select state from clients.links where firm_id = $1 and client_id = $2", firm, client)


async def onboarding_client(api, admin) -> uuid.UUID:
    r = await api.post("/v1/clients/invite", json={
        "name": "New Co", "registration_number": "NL1", "country": "NL",
        "contact_email": "owner@new.example"}, headers=admin.headers)
    assert r.status_code == 201, r.text
    return uuid.UUID(r.json()["client_id"])


async def test_verification_moves_the_link_forward_only(api, world, runtime):
    firm = await world.firm()
    admin = await world.staff(firm, "admin")
    client = await onboarding_client(api, admin)
    apply = lambda *events: apply_verification(runtime.unit_of_work(), list(events))
    await apply(verification_event(client, firm, "in_review", "invited"))
    assert await link_state(world, firm, client) == "onboarding"
    await apply(verification_event(client, firm, "verified", "in_review"))
    assert await link_state(world, firm, client) == "active"
    # late and duplicated events do not move it back
    await apply(verification_event(client, firm, "invited"),
                verification_event(client, firm, "in_review", "invited"),
                verification_event(client, firm, "rejected", "in_review"))
    assert await link_state(world, firm, client) == "active"
    states = [e.data.link_state for e in await world.outbox(client, "client.upserted")]
    assert states == ["onboarding", "active"]


async def test_rejected_or_expired_verification_leaves_the_tabs(api, world, runtime):
    firm = await world.firm()
    admin = await world.staff(firm, "admin")
    for final in ("rejected", "expired"):
        client = await onboarding_client(api, admin)
        event = verification_event(client, firm, final, "invited")
        await apply_verification(runtime.unit_of_work(), [event])
        await apply_verification(runtime.unit_of_work(), [event])
        assert await link_state(world, firm, client) == "rejected"
    tabs = (await api.get("/v1/clients/tabs", headers=admin.headers)).json()
    assert [t["tab"] for t in tabs] == ["my", "all"]


async def test_verification_does_not_touch_links_that_did_not_come_through_onboarding(world,
                                                                                      runtime):
    firm = await world.firm()
    pending = await world.client(firm, "invitation_pending")
    await apply_verification(runtime.unit_of_work(),
                             [verification_event(pending, firm, "verified")])
    assert await link_state(world, firm, pending) == "invitation_pending"


async def test_events_flow_from_kafka_into_the_list_and_bad_ones_are_dead_lettered(
        api, world, runtime, producer, make_topics, settings, unique):
    topics = {name: f"test.clients.{unique}.{name}" for name in
              ("expenses", "wallets", "companies", "verification")}
    await make_topics(*topics.values())
    firm = await world.firm()
    admin = await world.staff(firm, "admin")
    client = uuid.uuid4()
    consumer = build_consumer(runtime.settings, runtime.unit_of_work, producer,
                              group_id=f"test.clients.{unique}", topics=list(topics.values()))
    await consumer.start()
    try:
        unknown_firm = invited_event(uuid.uuid4(), uuid.uuid4())
        await producer.send(topics["companies"], unknown_firm.envelope)
        await producer.send_raw(topics["expenses"], b"{not json", key=str(client).encode())
        await producer.send(topics["companies"],
                            invited_event(client, firm, name="Via Kafka").envelope)
        for i in range(3):
            await producer.send(topics["expenses"], expense_created(client, f"e{i}").envelope)
        await producer.send(topics["wallets"], wallet_event(client, 99, 1).envelope)
        await producer.send(topics["verification"],
                            verification_event(client, firm, "verified").envelope)
        for _ in range(100):
            r = await api.get("/v1/clients", params={"tab": "invitations"}, headers=admin.headers)
            items = r.json()["items"] if r.status_code == 200 else []
            if items and items[0]["missing_receipts"] == 3 and items[0]["wallet_balance"]:
                break
            await asyncio.sleep(0.1)
        assert items[0]["name"] == "Via Kafka" and items[0]["missing_receipts"] == 3
        assert items[0]["wallet_balance"]["amount_minor"] == 99
        for _ in range(50):
            if consumer.dead_lettered == 2:
                break
            await asyncio.sleep(0.1)
        assert consumer.dead_lettered == 2
    finally:
        await consumer.stop()
    # an invitation-pending link is not moved by verification events
    assert await link_state(world, firm, client) == "invitation_pending"
    dlq = AIOKafkaConsumer(f"{topics['companies']}.dlq", auto_offset_reset="earliest",
                           bootstrap_servers=settings.kafka_bootstrap_servers)
    await dlq.start()
    try:
        batch = await dlq.getmany(timeout_ms=5000)
        records = [r for rs in batch.values() for r in rs]
        assert b"unknown firm" in dict(records[0].headers)["error"]
    finally:
        await dlq.stop()
