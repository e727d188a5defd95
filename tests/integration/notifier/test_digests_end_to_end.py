"""End to end through a real notifier process, Kafka, PostgreSQL and an SMTP server:
settings and expense events in, a Monday 10:00 Copenhagen tick in, digests out."""

import asyncio
import json
import re
import uuid
from datetime import UTC, datetime

import pytest

from shared.tokens import read_unsubscribe_token
from tests.integration.notifier import factories as f
from tests.integration.kafka_reading import read_topic
from tests.integration.notifier.conftest import deliver
from tests.integration.waiting import wait_for

pytestmark = pytest.mark.integration

# Monday 30 March 2026, the first Monday of summer time: 10:00 in Copenhagen is 08:00 UTC.
MONDAY = datetime(2026, 3, 30, 8, 0, tzinfo=UTC)


def _staff(firm_id, role, locale, unique, name):
    staff_id = uuid.uuid4()
    email = f"{name.split()[0].lower()}-{unique}-{staff_id.hex[:6]}@example.com"
    return staff_id, email, f.staff_upserted(staff_id=staff_id, firm_id=firm_id, email=email,
                                             name=name, role=role, locale=locale)


def _text(received) -> str:
    return received.message.get_body(("plain",)).get_content()


def _html(received) -> str:
    return received.message.get_body(("html",)).get_content()


async def test_monday_tick_sends_one_digest_per_staff_member_in_their_language(
        notifier, producer, pool, smtp_sink, settings, firms, unique):
    firm, other_firm = uuid.uuid4(), uuid.uuid4()
    firms += [firm, other_firm]
    admin, admin_mail, admin_ev = _staff(firm, "admin", "en", unique, "Anna Admin")
    bk1, bk1_mail, bk1_ev = _staff(firm, "bookkeeper", "nl", unique, "Bram Boekhouder")
    bk2, bk2_mail, bk2_ev = _staff(firm, "bookkeeper", "nl", unique, "Bea Boekhouder")
    stranger, stranger_mail, stranger_ev = _staff(other_firm, "admin", "en", unique, "Sam Other")
    c1, c2, c3, c4 = (uuid.uuid4() for _ in range(4))
    partner = [
        admin_ev, bk1_ev, bk2_ev, stranger_ev,
        f.client_upserted(client_id=c1, firm_id=firm, name="Café Noir B.V."),
        f.client_upserted(client_id=c2, firm_id=firm, name="Bakkerij Brood"),
        f.client_upserted(client_id=c3, firm_id=firm, name="Atelier Ångström"),
        f.client_upserted(client_id=c4, firm_id=firm, name="Still Onboarding",
                          link_state="onboarding"),
        f.assignees_changed(client_id=c1, firm_id=firm, staff_ids=[bk1]),
        f.assignees_changed(client_id=c2, firm_id=firm, staff_ids=[bk2]),
        f.assignees_changed(client_id=c3, firm_id=firm, staff_ids=[bk1]),
    ]
    on = dict(changed_at=datetime(2026, 3, 25, 12, tzinfo=UTC), first_digest_at=MONDAY)
    partner += [
        f.preference_changed(staff_id=admin, client_id=c1, **on),
        f.preference_changed(staff_id=admin, client_id=c2, **on),
        f.preference_changed(staff_id=admin, client_id=c4, **on),          # not active
        f.preference_changed(staff_id=bk1, client_id=c1, **on),
        f.preference_changed(staff_id=bk1, client_id=c3, frequency="daily", **on),
        f.preference_changed(staff_id=bk1, client_id=c2, **on),            # not assigned
        f.preference_changed(staff_id=bk2, client_id=c2, frequency="monthly", **on),  # not 1st
        f.preference_changed(staff_id=stranger, client_id=c1, **on),       # another firm
    ]
    expenses = [f.expense_created(client_id=c1, expense_id=f"e{i}") for i in range(4)]
    expenses += [f.expense_flag("expense.receipt_attached", client_id=c1, expense_id="e3")]
    expenses += [expenses[0]]  # a redelivered event changes nothing
    expenses += [f.expense_flag("expense.ready_for_export", client_id=c1, expense_id="e3"),
                 f.expense_flag("expense.ready_for_export", client_id=c2, expense_id="x1"),
                 f.expense_created(client_id=c2, expense_id="x1", receipt_required=False),
                 f.expense_created(client_id=c3, expense_id="y1")]
    wallets = [f.wallet_changed(client_id=c1, balance_minor=123456, sequence=2),
               f.wallet_changed(client_id=c1, balance_minor=999, sequence=1),  # late, older
               f.wallet_changed(client_id=c3, balance_minor=50, sequence=1)]
    await deliver(producer, pool, {notifier.topics["partner"]: partner,
                                   notifier.topics["expenses"]: expenses,
                                   notifier.topics["wallets"]: wallets})

    tick = f.tick(MONDAY)
    await producer.send(notifier.topics["ticks"], tick)
    await wait_for(lambda: len(smtp_sink.handler.to_any([admin_mail, bk1_mail])) >= 2)

    # The same tick again, another tick for that minute, the next minute's: nothing more.
    await deliver(producer, pool, {notifier.topics["ticks"]: [
        tick, f.tick(MONDAY), f.tick(MONDAY.replace(minute=1))]})
    await asyncio.sleep(1.5)  # the sender polls every 0.2 s: anything written is sent by now
    assert len(smtp_sink.handler.to(admin_mail)) == 1
    assert len(smtp_sink.handler.to(bk1_mail)) == 1
    assert smtp_sink.handler.to(bk2_mail) == []          # monthly, not the first Monday
    assert smtp_sink.handler.to(stranger_mail) == []     # another firm's client

    admin_mail_msg = smtp_sink.handler.to(admin_mail)[0]
    m = admin_mail_msg.message
    assert m["Subject"] == "Your weekly digest: 2 clients with outstanding tasks"
    text = _text(admin_mail_msg)
    assert text.index("Café Noir B.V.") < text.index("Bakkerij Brood")  # most work first
    assert "Still Onboarding" not in text
    assert "missing receipts: 3" in text and "expenses ready for export: 1" in text
    assert "€1,234.56" in text
    assert f"Go to client: {settings.public_base_url}/clients/{c1}" in text

    bk1_msg = smtp_sink.handler.to(bk1_mail)[0]
    assert bk1_msg.message["Subject"] == "Je overzicht: 2 cliënten met openstaande taken"
    nl = _text(bk1_msg)
    assert "Hallo Bram Boekhouder," in nl
    assert "ontbrekende bonnen: 3" in nl and "saldo van de portemonnee: € 1.234,56" in nl
    assert "€ 0,50" in nl and "Ga naar klant" in nl
    assert "Bakkerij Brood" not in nl  # bk1 is not assigned to it
    assert "maandag 30 maart 2026" in nl
    assert bk1_msg.message["Content-Language"] == "nl"

    # One-click unsubscribe (RFC 8058), naming exactly the clients of the digest.
    header = bk1_msg.message["List-Unsubscribe"]
    url = re.sub(r"\s+", "", header).strip("<>")
    assert url.startswith(f"{settings.public_base_url}/unsubscribe?lang=nl&token=")
    assert bk1_msg.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    staff_id, clients = read_unsubscribe_token(url.split("token=")[1], settings.unsubscribe_keys)
    assert staff_id == bk1 and set(clients) == {c1, c3}
    assert url in nl

    # email.sent announces each, with its Message-ID.
    ids = {admin_mail_msg.message["Message-ID"], bk1_msg.message["Message-ID"]}
    assert len(ids) == 2
    records = await read_topic(settings.kafka_bootstrap_servers, notifier.topics["emails"],
                               until=lambda rs: ids <= _sent_ids(rs))
    assert ids <= _sent_ids(records)


def _sent_ids(records) -> set[str]:
    docs = [json.loads(r.value) for r in records]
    return {d["data"]["message_id"] for d in docs if d["type"] == "email.sent"}
