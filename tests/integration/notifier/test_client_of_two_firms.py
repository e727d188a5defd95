"""A client company linked to two firms, through a real notifier process, Kafka, PostgreSQL
and an SMTP server: each firm keeps its own link (name, state, assignees), its staff get the
client in their digests and reminders, and a change of one link leaves the other alone."""

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from tests.integration.notifier import factories as f
from tests.integration.notifier.conftest import deliver
from tests.integration.waiting import wait_for

pytestmark = pytest.mark.integration

# Monday 1 June 2026 and the Monday after: 10:00 in Copenhagen is 08:00 UTC.
MONDAY = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)
NEXT_MONDAY = MONDAY + timedelta(days=7)


def _staff(firm_id, role, unique, name):
    staff_id = uuid.uuid4()
    email = f"{name.split()[0].lower()}-{unique}-{staff_id.hex[:6]}@example.com"
    return staff_id, email, f.staff_upserted(staff_id=staff_id, firm_id=firm_id, email=email,
                                             name=name, role=role)


def _text(received) -> str:
    return received.message.get_body(("plain",)).get_content()


class TwoFirms:
    """Firm A and firm B, each with an admin and a bookkeeper assigned to the shared client."""

    def __init__(self, unique: str):
        self.a, self.b = uuid.uuid4(), uuid.uuid4()
        self.client = uuid.uuid4()
        self.admin_a, self.admin_a_mail, admin_a = _staff(self.a, "admin", unique, "Alma Admin")
        self.bk_a, self.bk_a_mail, bk_a = _staff(self.a, "bookkeeper", unique, "Arie Boek")
        self.admin_b, self.admin_b_mail, admin_b = _staff(self.b, "admin", unique, "Bert Admin")
        self.bk_b, self.bk_b_mail, bk_b = _staff(self.b, "bookkeeper", unique, "Bo Boek")
        self.staff_events = [admin_a, bk_a, admin_b, bk_b]

    @property
    def everyone(self) -> list[uuid.UUID]:
        return [self.admin_a, self.bk_a, self.admin_b, self.bk_b]

    def mails(self) -> dict[uuid.UUID, str]:
        return {self.admin_a: self.admin_a_mail, self.bk_a: self.bk_a_mail,
                self.admin_b: self.admin_b_mail, self.bk_b: self.bk_b_mail}

    def linked(self, at: datetime) -> list:
        """Both links, firm B's arriving after firm A's (the order that lost firm A before)."""
        c = self.client
        return [f.client_upserted(client_id=c, firm_id=self.a, name="Gedeeld A B.V.", time=at),
                f.assignees_changed(client_id=c, firm_id=self.a, staff_ids=[self.bk_a], time=at),
                f.client_upserted(client_id=c, firm_id=self.b, name="Shared Holding (B)",
                                  time=at + timedelta(seconds=1)),
                f.assignees_changed(client_id=c, firm_id=self.b, staff_ids=[self.bk_b],
                                    time=at + timedelta(seconds=1))]


async def _link_rows(pool, client) -> dict[uuid.UUID, tuple]:
    rows = await pool.fetch("select firm_id, name, link_state, assignee_ids from notifier.clients"
                            " where client_id = $1", client)
    return {r["firm_id"]: (r["name"], r["link_state"], r["assignee_ids"]) for r in rows}


async def _digests_for(notifier, producer, smtp_sink, send_time, mails, expected) -> None:
    """Tick at `send_time`; wait for the `expected` addresses' digests, then let the rest land."""
    await producer.send(notifier.topics["ticks"], f.tick(send_time))
    await wait_for(lambda: all(smtp_sink.handler.to(m) for m in expected), timeout=30)
    await asyncio.sleep(1.5)  # the sender polls every 0.2 s: anything written is sent by now


async def test_both_firms_get_the_client_in_their_digests_with_their_own_link(
        notifier, producer, pool, smtp_sink, firms, unique):
    t = TwoFirms(unique)
    firms += [t.a, t.b]
    now = datetime.now(UTC)
    on = dict(changed_at=datetime(2026, 5, 27, 12, tzinfo=UTC), first_digest_at=MONDAY)
    await deliver(producer, pool, {
        notifier.topics["partner"]: [
            *t.staff_events, *t.linked(now),
            *(f.preference_changed(staff_id=s, client_id=t.client, **on) for s in t.everyone)],
        notifier.topics["expenses"]: [f.expense_created(client_id=t.client, expense_id="m1"),
                                      f.expense_created(client_id=t.client, expense_id="m2")],
    })
    assert await _link_rows(pool, t.client) == {
        t.a: ("Gedeeld A B.V.", "active", [t.bk_a]),
        t.b: ("Shared Holding (B)", "active", [t.bk_b])}

    mails = t.mails()
    await _digests_for(notifier, producer, smtp_sink, MONDAY, mails, mails.values())
    for staff, own, other in ((t.admin_a, "Gedeeld A B.V.", "Shared Holding (B)"),
                              (t.bk_a, "Gedeeld A B.V.", "Shared Holding (B)"),
                              (t.admin_b, "Shared Holding (B)", "Gedeeld A B.V."),
                              (t.bk_b, "Shared Holding (B)", "Gedeeld A B.V.")):
        [received] = smtp_sink.handler.to(mails[staff])
        text = _text(received)
        assert own in text and other not in text, (staff, text)
        assert "missing receipts: 2" in text  # figures describe the company, for both firms

    # Firm B declines the client and reassigns its link; an old firm-A event arrives late.
    await deliver(producer, pool, {notifier.topics["partner"]: [
        f.client_upserted(client_id=t.client, firm_id=t.b, name="Shared Holding (B)",
                          link_state="declined", time=now + timedelta(minutes=1)),
        f.assignees_changed(client_id=t.client, firm_id=t.b, staff_ids=[],
                            time=now + timedelta(minutes=1)),
        f.client_upserted(client_id=t.client, firm_id=t.a, name="Old Name A",
                          link_state="onboarding", time=now - timedelta(minutes=1)),
        f.assignees_changed(client_id=t.client, firm_id=t.a, staff_ids=[],
                            time=now - timedelta(minutes=1))]})
    assert await _link_rows(pool, t.client) == {
        t.a: ("Gedeeld A B.V.", "active", [t.bk_a]),
        t.b: ("Shared Holding (B)", "declined", [])}

    await _digests_for(notifier, producer, smtp_sink, NEXT_MONDAY, mails,
                       [t.admin_a_mail, t.bk_a_mail])
    assert len(smtp_sink.handler.to(t.admin_a_mail)) == 2
    assert len(smtp_sink.handler.to(t.bk_a_mail)) == 2
    assert "Gedeeld A B.V." in _text(smtp_sink.handler.to(t.bk_a_mail)[1])
    # Firm B's staff have no active client left to report: no second digest.
    assert len(smtp_sink.handler.to(t.admin_b_mail)) == 1
    assert len(smtp_sink.handler.to(t.bk_b_mail)) == 1


async def test_a_reminder_of_firm_a_reaches_firm_a_assignees_only_with_firm_a_name(
        notifier, producer, pool, smtp_sink, firms, unique):
    t = TwoFirms(unique)
    firms += [t.a, t.b]
    await deliver(producer, pool, {
        notifier.topics["partner"]: [*t.staff_events, *t.linked(datetime.now(UTC))],
        notifier.topics["expenses"]: [f.expense_created(client_id=t.client, expense_id="r1")],
    })
    # Firm B's bookkeeper (assigned to the same client, in firm B) among the recipients of
    # firm A's reminder must still never get it.
    reminder = f.reminder_requested(client_id=t.client, firm_id=t.a, admin_id=t.admin_a,
                                    tasks=["missing_receipts"], recipient_ids=[t.bk_a, t.bk_b])
    await deliver(producer, pool, {notifier.topics["partner"]: [reminder]})
    await wait_for(lambda: smtp_sink.handler.to(t.bk_a_mail))
    await wait_for(lambda: pool.fetchval(
        "select status = 'failed' from notifier.email_outbox where staff_id = $1", t.bk_b))
    await asyncio.sleep(1)

    [received] = smtp_sink.handler.to(t.bk_a_mail)
    assert received.message["Subject"] == ("Reminder from Alma Admin: outstanding tasks for"
                                           " Gedeeld A B.V.")
    assert "missing receipts: 1" in _text(received)
    assert not smtp_sink.handler.to_any([t.bk_b_mail, t.admin_b_mail, t.admin_a_mail])
    error = await pool.fetchval("select last_error from notifier.email_outbox"
                                " where staff_id = $1", t.bk_b)
    assert error == "recipient belongs to another firm"
