"""The sender on its own (in this process) against the real PostgreSQL and SMTP servers:
an attempt counts only when a send was tried (an unreachable server or a claim that was
never tried costs none), and a recipient not known yet is waited for."""

import asyncio
import uuid
from contextlib import asynccontextmanager

import pytest

from services.notifier.consumers.partner import partner_handlers
from services.notifier.db import SCHEMA
from services.notifier.db.email_outbox import claim_due
from services.notifier.emails.compose import Composer
from services.notifier.sender.worker import Sender
from services.notifier.settings import NotifierSettings
from shared.db.outbox import Outbox
from tests.integration.notifier import factories as f
from tests.integration.waiting import wait_for
from tests.integration.notifier.smtp_sink import SmtpSink, free_port

pytestmark = pytest.mark.integration


def sender_settings(unique: str, smtp_port: int) -> NotifierSettings:
    # Its own emails topic (made by the `emails_topic` fixture): whichever notifier's relay
    # publishes these announcements later, they stay out of the product's topic.
    return NotifierSettings(notifier_app_id=f"sender-{unique}", smtp_port=smtp_port,
                            notifier_emails_topic=f"sender-{unique}.emails",
                            notifier_smtp_connections=2, notifier_send_poll_seconds=0.1,
                            notifier_retry_base_seconds=0.1, notifier_retry_max_seconds=0.3,
                            notifier_send_lease_seconds=5, notifier_send_max_attempts=20)


@pytest.fixture(autouse=True)
async def emails_topic(make_topics, unique):
    await make_topics(f"sender-{unique}.emails")


@asynccontextmanager
async def running_sender(pool, settings: NotifierSettings):
    sender = Sender(pool, settings, outbox=Outbox(SCHEMA), composer=Composer(settings))
    await sender.start()
    try:
        yield sender
    finally:
        await sender.stop()


async def _reminder_for(pool, settings, firm, *, known_recipient: bool, unique: str):
    feed = partner_handlers(pool, settings)
    admin, bookkeeper, client = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    mail = f"bk-{unique}@example.com"
    bookkeeper_event = f.staff_upserted(staff_id=bookkeeper, firm_id=firm, email=mail,
                                        name="Bea", role="bookkeeper")
    events = [f.staff_upserted(staff_id=admin, firm_id=firm, email=f"adm-{unique}@example.com",
                               name="Adam", role="admin"),
              f.client_upserted(client_id=client, firm_id=firm, name="Sender B.V."),
              f.reminder_requested(client_id=client, firm_id=firm, admin_id=admin,
                                   tasks=["missing_receipts"], recipient_ids=[bookkeeper])]
    if known_recipient:
        events.insert(0, bookkeeper_event)
    for event in f.as_events(*events):
        await feed[event.type]([event])
    return bookkeeper, mail, (feed, bookkeeper_event)


async def test_an_unreachable_server_costs_no_attempt_and_the_email_waits(pool, firms, unique):
    firm = uuid.uuid4()
    firms.append(firm)
    down = sender_settings(unique, free_port())  # nothing listens there
    staff, mail, _ = await _reminder_for(pool, down, firm, known_recipient=True, unique=unique)
    row = "select status, attempts, last_error from notifier.email_outbox where staff_id = $1"
    async with running_sender(pool, down):
        await wait_for(lambda: pool.fetchval(
            "select last_error from notifier.email_outbox where staff_id = $1", staff))
        await asyncio.sleep(0.5)
    status, attempts, error = await pool.fetchrow(row, staff)
    assert (status, attempts) == ("pending", 0) and "cannot connect" in error

    with SmtpSink() as sink:
        async with running_sender(pool, sender_settings(unique, sink.port)):
            await wait_for(lambda: sink.handler.to(mail))
    assert (await pool.fetchrow(row, staff))[:2] == ("sent", 1)


async def test_a_recipient_not_known_yet_is_retried_until_it_is(pool, firms, unique):
    firm = uuid.uuid4()
    firms.append(firm)
    with SmtpSink() as sink:
        settings = sender_settings(unique, sink.port)
        staff, mail, (feed, staff_event) = await _reminder_for(
            pool, settings, firm, known_recipient=False, unique=unique)
        async with running_sender(pool, settings):
            await wait_for(lambda: pool.fetchval(
                "select attempts from notifier.email_outbox where staff_id = $1", staff))
            assert sink.handler.to(mail) == []
            # staff.upserted travels on its own partition: it may come after the reminder.
            [event] = f.as_events(staff_event)
            await feed[event.type]([event])
            await wait_for(lambda: sink.handler.to(mail))
    status = await pool.fetchval("select status from notifier.email_outbox where staff_id = $1",
                                 staff)
    assert status == "sent" and len(sink.handler.to(mail)) == 1


async def test_a_dropped_connection_or_a_timeout_is_retried_with_the_same_message(
        pool, firms, unique):
    firm = uuid.uuid4()
    firms.append(firm)
    with SmtpSink() as sink:
        settings = sender_settings(unique, sink.port).model_copy(
            update={"notifier_smtp_timeout_seconds": 0.5})
        dropped, dropped_mail, _ = await _reminder_for(pool, settings, firm,
                                                       known_recipient=True, unique=unique)
        stalled, stalled_mail, _ = await _reminder_for(pool, settings, firm,
                                                       known_recipient=True, unique=unique + "s")
        sink.handler.disrupt_first(dropped_mail, [("drop", 0)])
        sink.handler.disrupt_first(stalled_mail, [("stall", 1.0)])
        async with running_sender(pool, settings):
            await wait_for(lambda: sink.handler.to(dropped_mail) and sink.handler.to(stalled_mail))
            await asyncio.sleep(1.2)  # the stalled first copy lands after the client gave up
    rows = {r["staff_id"]: r for r in await pool.fetch(
        "select staff_id, status, attempts, message_id from notifier.email_outbox"
        " where staff_id = any($1::uuid[])", [dropped, stalled])}
    assert [(rows[s]["status"], rows[s]["attempts"]) for s in (dropped, stalled)] == [
        ("sent", 2), ("sent", 2)]
    assert len(sink.handler.to(dropped_mail)) == 1  # the drop came before the message was taken
    # A timeout may leave the server with the first copy: a duplicate, the same message.
    copies = {r.message["Message-ID"] for r in sink.handler.to(stalled_mail)}
    assert copies == {rows[stalled]["message_id"]}


async def test_claims_never_tried_cost_no_attempt_and_failing_takes_every_real_try(
        pool, firms, unique):
    firm = uuid.uuid4()
    firms.append(firm)
    with SmtpSink() as sink:
        settings = sender_settings(unique, sink.port).model_copy(
            update={"notifier_send_max_attempts": 3})
        fine, fine_mail, _ = await _reminder_for(pool, settings, firm, known_recipient=True,
                                                 unique=unique)
        busy, busy_mail, _ = await _reminder_for(pool, settings, firm, known_recipient=True,
                                                 unique=unique + "b")
        sink.handler.refuse_always(busy_mail, "451 4.3.2 try again later")
        # What a sender leaves that claims and then dies (or stalls past its lease) before it
        # tries: the claim statement itself, four times over, each lease running out.
        for _ in range(4):
            async with pool.acquire() as conn:
                claimed = await claim_due(conn, origin=settings.notifier_app_id, limit=10,
                                          lease_seconds=0.2)
            assert {email.staff_id for email in claimed} == {fine, busy}
            await asyncio.sleep(0.3)
        assert sink.handler.attempts == {}
        async with running_sender(pool, settings):
            await wait_for(lambda: pool.fetchval(
                "select bool_and(status <> 'pending') from notifier.email_outbox"
                " where staff_id = any($1::uuid[])", [fine, busy]), timeout=30)
    rows = {r["staff_id"]: (r["status"], r["attempts"]) for r in await pool.fetch(
        "select staff_id, status, attempts from notifier.email_outbox"
        " where staff_id = any($1::uuid[])", [fine, busy])}
    assert rows == {fine: ("sent", 1), busy: ("failed", 3)}
    assert len(sink.handler.to(fine_mail)) == 1
    assert sink.handler.attempts[busy_mail.lower()] == 3  # three real tries before failing
    announced = await pool.fetchval(
        "select (event -> 'data' ->> 'attempts')::int from notifier.outbox where topic = $1"
        " and event ->> 'type' = 'email.failed'", settings.notifier_emails_topic)
    assert announced == 3


async def test_a_row_whose_lease_ran_out_in_the_queue_is_skipped_and_sent_once(
        pool, firms, unique):
    firm = uuid.uuid4()
    firms.append(firm)
    with SmtpSink() as sink:
        settings = sender_settings(unique, sink.port)
        staff, mail, _ = await _reminder_for(pool, settings, firm, known_recipient=True,
                                             unique=unique)
        async with pool.acquire() as conn:
            [stale] = await claim_due(conn, origin=settings.notifier_app_id, limit=10,
                                      lease_seconds=0.3)
        await asyncio.sleep(0.5)
        async with running_sender(pool, settings) as sender:
            # A worker that gets to a claimed row only after its lease (a stalled process).
            sender.queue.put_nowait(stale)
            await wait_for(lambda: sink.handler.to(mail))
            await asyncio.sleep(0.5)
    row = await pool.fetchrow("select status, attempts from notifier.email_outbox"
                              " where staff_id = $1", staff)
    assert tuple(row) == ("sent", 1)
    assert len(sink.handler.to(mail)) == 1 and sink.handler.attempts[mail.lower()] == 1
