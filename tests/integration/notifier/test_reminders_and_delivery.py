"""Reminders, SMTP refusals, dead letters and a missed 10:00, through a real notifier process."""

import asyncio
import json
import uuid
from datetime import UTC, datetime

import httpx
import pytest

from tests.integration.notifier import factories as f
from tests.integration.kafka_reading import read_topic
from tests.integration.notifier.conftest import deliver
from tests.integration.waiting import wait_for

pytestmark = pytest.mark.integration


def _person(firm_id, role, name, unique, locale="nl"):
    staff_id = uuid.uuid4()
    email = f"{name.split()[0].lower()}-{unique}-{staff_id.hex[:6]}@example.com"
    event = f.staff_upserted(staff_id=staff_id, firm_id=firm_id, email=email, name=name,
                             role=role, locale=locale)
    return staff_id, email, event


def _emails_of(records, type_: str) -> list[dict]:
    docs = [json.loads(r.value) for r in records]
    return [d["data"] for d in docs if d["type"] == type_]


async def test_reminder_reaches_every_assigned_bookkeeper_and_nobody_else(
        notifier, producer, pool, smtp_sink, settings, firms, unique):
    firm, other = uuid.uuid4(), uuid.uuid4()
    firms += [firm, other]
    admin, admin_mail, admin_ev = _person(firm, "admin", "Anna de Beheerder", unique)
    bk1, bk1_mail, bk1_ev = _person(firm, "bookkeeper", "Bram Boekhouder", unique)
    bk2, bk2_mail, bk2_ev = _person(firm, "bookkeeper", "Ben Bookkeeper", unique, locale="en")
    bk3, bk3_mail, bk3_ev = _person(firm, "bookkeeper", "Bo Unassigned", unique)
    spy, spy_mail, spy_ev = _person(other, "bookkeeper", "Spy Otherfirm", unique)
    client = uuid.uuid4()
    await deliver(producer, pool, {
        notifier.topics["partner"]: [
            admin_ev, bk1_ev, bk2_ev, bk3_ev, spy_ev,
            f.client_upserted(client_id=client, firm_id=firm, name="Café <Noir> & Zonen"),
            f.assignees_changed(client_id=client, firm_id=firm, staff_ids=[bk1, bk2])],
        notifier.topics["expenses"]: [f.expense_created(client_id=client, expense_id="r1"),
                                      f.expense_created(client_id=client, expense_id="r2")],
        notifier.topics["wallets"]: [f.wallet_changed(client_id=client, balance_minor=123456,
                                                      sequence=1)],
    })
    comment = "Graag vóór vrijdag <b>uploaden</b> & controleren."
    # The other firm's bookkeeper among the recipients must still never get it.
    reminder = f.reminder_requested(client_id=client, firm_id=firm, admin_id=admin,
                                    tasks=["missing_receipts", "wallet_balance"],
                                    recipient_ids=[bk1, bk2, spy], comment=comment)
    await producer.send(notifier.topics["partner"], reminder)
    await producer.send(notifier.topics["partner"], reminder)  # redelivered: still one each

    await wait_for(lambda: smtp_sink.handler.to(bk1_mail) and smtp_sink.handler.to(bk2_mail))
    await asyncio.sleep(1.5)
    assert len(smtp_sink.handler.to(bk1_mail)) == 1
    assert len(smtp_sink.handler.to(bk2_mail)) == 1
    assert not smtp_sink.handler.to_any([bk3_mail, spy_mail, admin_mail])

    nl = smtp_sink.handler.to(bk1_mail)[0].message
    assert nl["Subject"] == ("Herinnering van Anna de Beheerder: openstaande taken voor"
                             " Café <Noir> & Zonen")
    text = nl.get_body(("plain",)).get_content()
    assert "ontbrekende bonnen: 2" in text
    assert "saldo van de portemonnee: € 1.234,56" in text
    assert "uitgaven klaar voor export" not in text  # not a ticked task
    assert comment in text
    assert f"Ga naar klant: {settings.public_base_url}/clients/{client}" in text
    html = nl.get_body(("html",)).get_content()
    assert "&lt;b&gt;uploaden&lt;/b&gt; &amp; controleren" in html and "<b>uploaden" not in html
    assert "Café &lt;Noir&gt; &amp; Zonen" in html
    assert nl["List-Unsubscribe"] is None  # a reminder is no subscription

    en = smtp_sink.handler.to(bk2_mail)[0].message
    assert en["Subject"] == ("Reminder from Anna de Beheerder: outstanding tasks for"
                             " Café <Noir> & Zonen")
    assert "wallet balance: €1,234.56" in en.get_body(("plain",)).get_content()
    assert en["Message-ID"] != nl["Message-ID"]


async def test_refusals_4xx_retried_5xx_failed_and_nothing_else_blocked(
        notifier, producer, pool, smtp_sink, settings, firms, unique):
    firm = uuid.uuid4()
    firms.append(firm)
    admin, _, admin_ev = _person(firm, "admin", "Anna Admin", unique)
    fine, fine_mail, fine_ev = _person(firm, "bookkeeper", "Fien Fine", unique)
    busy, busy_mail, busy_ev = _person(firm, "bookkeeper", "Gert Greylisted", unique)
    full, full_mail, full_ev = _person(firm, "bookkeeper", "Flip Fulltime", unique)
    gone, gone_mail, gone_ev = _person(firm, "bookkeeper", "Guus Gone", unique)
    smtp_sink.handler.refuse_first(busy_mail, ["451 4.7.1 greylisted, try again later"] * 2)
    smtp_sink.handler.refuse_always(full_mail, "452 4.2.2 mailbox full")
    smtp_sink.handler.refuse_always(gone_mail, "550 5.1.1 mailbox unavailable")
    client = uuid.uuid4()
    await deliver(producer, pool, {notifier.topics["partner"]: [
        admin_ev, fine_ev, busy_ev, full_ev, gone_ev,
        f.client_upserted(client_id=client, firm_id=firm, name="Retry Test B.V."),
        f.assignees_changed(client_id=client, firm_id=firm, staff_ids=[fine, busy, full, gone])]})

    await producer.send(notifier.topics["partner"], f.reminder_requested(
        client_id=client, firm_id=firm, admin_id=admin, tasks=["ready_for_export"],
        recipient_ids=[gone, full, busy, fine]))

    await wait_for(lambda: smtp_sink.handler.to(fine_mail))
    await wait_for(lambda: smtp_sink.handler.to(busy_mail), timeout=30)
    assert smtp_sink.handler.attempts[busy_mail.lower()] == 3  # two 451s, then accepted
    assert smtp_sink.handler.attempts[gone_mail.lower()] == 1  # 5xx: no second try
    records = await read_topic(
        settings.kafka_bootstrap_servers, notifier.topics["emails"], timeout=30,
        until=lambda rs: {full, gone} <= {uuid.UUID(d["staff_id"])
                                          for d in _emails_of(rs, "email.failed")})
    failed = {uuid.UUID(d["staff_id"]): d for d in _emails_of(records, "email.failed")}
    assert failed[gone]["attempts"] == 1 and failed[gone]["error"].startswith("550")
    assert failed[full]["attempts"] == 5 and failed[full]["error"].startswith("452")
    assert smtp_sink.handler.attempts[full_mail.lower()] == 5
    sent = {uuid.UUID(d["staff_id"]) for d in _emails_of(records, "email.sent")}
    assert {fine, busy} <= sent and not {full, gone} & sent
    assert not smtp_sink.handler.to_any([full_mail, gone_mail])


async def test_invalid_messages_go_to_the_dead_letter_topic_and_unknown_types_are_skipped(
        notifier, producer, pool, settings):
    topic = notifier.topics["partner"]
    await producer.send_raw(topic, b"{not json", key=b"k")
    unknown = f.tick(datetime.now(UTC)).model_copy(update={"type": "client.teleported"})
    await producer.send(topic, unknown)
    good = f.staff_upserted(staff_id=uuid.uuid4(), firm_id=uuid.uuid4(), email="x@example.com",
                            name="After The Garbage", role="admin")
    await deliver(producer, pool, {topic: [good]})  # the consumer carried on

    dead = await read_topic(settings.kafka_bootstrap_servers, f"{topic}.dlq",
                            until=lambda rs: any(r.value == b"{not json" for r in rs))
    record = next(r for r in dead if r.value == b"{not json")
    assert dict(record.headers)["error"].startswith(b"not JSON")
    async with httpx.AsyncClient() as http:
        metrics = (await http.get(f"http://127.0.0.1:{notifier.web_port}/metrics")).text
    assert 'events_skipped_unknown_total{consumer="notifier.partner"' in metrics
    assert 'type="client.teleported"' in metrics


async def test_back_after_ten_oclock_the_missed_digest_goes_out_once(
        notifier, producer, pool, smtp_sink, firms, unique):
    firm = uuid.uuid4()
    firms.append(firm)
    admin, admin_mail, admin_ev = _person(firm, "admin", "Late Larry", unique, locale="en")
    client = uuid.uuid4()
    # Monday 26 October 2026, first Monday of winter time: 10:00 Copenhagen is 09:00 UTC.
    send_time = datetime(2026, 10, 26, 9, 0, tzinfo=UTC)
    await deliver(producer, pool, {notifier.topics["partner"]: [
        admin_ev, f.client_upserted(client_id=client, firm_id=firm, name="Late B.V."),
        f.preference_changed(staff_id=admin, client_id=client, frequency="daily",
                             changed_at=datetime(2026, 10, 20, tzinfo=UTC),
                             first_digest_at=send_time)]})
    # Down over 10:00; the first tick back is at 12:34 local, then ticks every minute.
    await producer.send(notifier.topics["ticks"], f.tick(datetime(2026, 10, 26, 8, 59, tzinfo=UTC)))
    await asyncio.sleep(1)
    assert smtp_sink.handler.to(admin_mail) == []  # 09:59 local: nothing owed yet
    for minute in (34, 35, 36):
        await producer.send(notifier.topics["ticks"],
                            f.tick(datetime(2026, 10, 26, 11, minute, tzinfo=UTC)))
    await wait_for(lambda: smtp_sink.handler.to(admin_mail))
    await asyncio.sleep(1.5)
    received = smtp_sink.handler.to(admin_mail)
    assert len(received) == 1
    assert received[0].message["Subject"] == "Your daily digest: no outstanding tasks for 1 client"
    assert await pool.fetchval(
        "select scheduled_for from notifier.email_outbox where staff_id = $1", admin) == send_time
