"""Digest and reminder emails: language, amounts, subject, headers, escaping, MIME."""

import email
import random
import re
import uuid
from datetime import UTC, datetime
from email import policy

import pytest

from services.notifier.domain.emails import EmailToSend, Recipient
from services.notifier.emails.compose import Composer
from shared.formatting import babel_money, format_money
from services.notifier.emails.mime import build_message, encode_words, format_address
from services.notifier.settings import NotifierSettings
from shared.tokens import read_unsubscribe_token

SETTINGS = NotifierSettings(app_env="test")
SEND_TIME = datetime(2026, 3, 30, 8, tzinfo=UTC)


def client(name, missing, ready, balance=None, frequency="weekly"):
    return {"client_id": str(uuid.uuid4()), "name": name, "frequency": frequency,
            "missing_receipts": missing, "ready_for_export": ready,
            "wallet_balance_minor": balance,
            "wallet_currency": "EUR" if balance is not None else None}


def digest_row(clients, *, locale="nl", name="Jan de Vries", to="jan@example.com",
               created_at=SEND_TIME):
    firm = uuid.uuid4()
    email_id = uuid.uuid4()
    return EmailToSend(
        kind="digest", id=email_id, staff_id=uuid.uuid4(),
        message_id=f"<digest.{email_id}@partner-portal.local>",
        created_at=created_at, scheduled_for=SEND_TIME,
        recipient=Recipient(email=to, name=name, locale=locale, active=True, firm_id=firm),
        admin_name=None, payload={"firm_id": str(firm), "clients": clients},
        attempts=0, lease_until=SEND_TIME)


def reminder_row(*, locale="en", comment="Please <b>upload</b> & check", tasks=None):
    firm = uuid.uuid4()
    email_id = uuid.uuid4()
    return EmailToSend(
        kind="reminder", id=email_id, staff_id=uuid.uuid4(),
        message_id=f"<reminder.{email_id}@partner-portal.local>",
        created_at=SEND_TIME, scheduled_for=None,
        recipient=Recipient(email="bea@example.com", name="Bea", locale=locale, active=True,
                            firm_id=firm),
        admin_name="Anna Admin",
        payload={"firm_id": str(firm), "client_id": str(uuid.uuid4()),
                 "client_name": "Café Noir", "tasks": tasks or ["missing_receipts",
                                                                "wallet_balance"],
                 "comment": comment, "missing_receipts": 4, "ready_for_export": 2,
                 "wallet_balance_minor": 123456, "wallet_currency": "EUR"},
        attempts=0, lease_until=SEND_TIME)


def parse(data: bytes):
    return email.message_from_bytes(data, policy=policy.default)


@pytest.mark.parametrize("locale, text", [("nl", "€ 1.234,56"), ("en", "€1,234.56")])
def test_money_in_the_recipients_locale(locale, text):
    assert format_money(123456, "EUR", locale) == text


def test_unknown_locale_falls_back_to_english():
    assert format_money(123456, "EUR", "fr") == "€1,234.56"


def test_dutch_digest():
    row = digest_row([client("Café Noir", 3, 2, 123456), client("Bakkerij", 0, 1, 5)])
    m = parse(Composer(SETTINGS).compose(row).data)
    assert m["Subject"] == "Je wekelijkse overzicht: 2 cliënten met openstaande taken"
    assert m.get_content_type() == "multipart/alternative"
    text = m.get_body(("plain",)).get_content()
    for phrase in ("Hallo Jan de Vries,", "ontbrekende bonnen: 3", "uitgaven klaar voor export: 2",
                   "saldo van de portemonnee: € 1.234,56", "€ 0,05", "Ga naar klant",
                   "maandag 30 maart 2026"):
        assert phrase in text
    assert "Ga naar klant" in m.get_body(("html",)).get_content()


def test_english_digest_subject_counts_clients_with_outstanding_tasks():
    row = digest_row([client("A", 1, 0), client("B", 0, 0, 100)], locale="en")
    m = parse(Composer(SETTINGS).compose(row).data)
    assert m["Subject"] == "Your weekly digest: 1 client with outstanding tasks"
    assert "wallet balance: not known yet" in m.get_body(("plain",)).get_content()


def test_digest_without_outstanding_tasks_and_mixed_frequencies():
    row = digest_row([client("A", 0, 0, frequency="daily"), client("B", 0, 0)], locale="en")
    assert parse(Composer(SETTINGS).compose(row).data)["Subject"] == (
        "Your digest: no outstanding tasks for 2 clients")


def test_digest_headers_one_click_unsubscribe_and_message_id():
    clients = [client(f"Client {i}", i, 0) for i in range(40)]  # a long token
    row = digest_row(clients, created_at=datetime.now(UTC))  # the token's issue time
    data = Composer(SETTINGS).compose(row).data
    assert max(len(line) for line in data.split(b"\r\n")) <= 998  # SMTP's line limit
    m = parse(data)
    assert m["Message-ID"] == row.message_id
    assert m["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = re.sub(r"\s+", "", m["List-Unsubscribe"]).strip("<>")
    assert url.startswith(f"{SETTINGS.public_base_url}/unsubscribe?lang=nl&token=")
    staff, ids = read_unsubscribe_token(url.split("token=")[1], SETTINGS.unsubscribe_keys)
    assert staff == row.staff_id and [str(i) for i in ids] == [c["client_id"] for c in clients]
    assert url in m.get_body(("plain",)).get_content()
    assert f'href="{url.replace("&", "&amp;")}"' in m.get_body(("html",)).get_content()


def test_parts_travel_as_7bit_only_when_ascii_with_short_lines_and_no_boundary():
    ascii_only = parse(Composer(SETTINGS).compose(
        digest_row([client("Noir", 1, 0)], locale="en")).data)
    assert ascii_only.get_body(("html",))["Content-Transfer-Encoding"] == "7bit"
    accented = parse(Composer(SETTINGS).compose(digest_row([client("Café Noir", 1, 0)])).data)
    html = accented.get_body(("html",))
    assert html["Content-Transfer-Encoding"] == "quoted-printable"
    assert "Café Noir" in html.get_content()
    long = digest_row([client(f"Client {i}", i, 0) for i in range(40)], locale="en")
    html = parse(Composer(SETTINGS).compose(long).data).get_body(("html",))
    assert html["Content-Transfer-Encoding"] == "quoted-printable"  # the long link line
    body = "<p>a</p>\n--=_pp_1\n<p>b</p>"  # a line that would read as the boundary
    data = build_message([], text="t", html=body, boundary="=_pp_1")
    assert parse(data).get_body(("html",)).get_content().replace("\r\n", "\n") == body


def test_the_same_row_composes_to_the_same_bytes():
    row = digest_row([client("A", 1, 0)])
    assert Composer(SETTINGS).compose(row).data == Composer(SETTINGS).compose(row).data


def test_reminder_names_admin_client_tasks_and_escapes_the_comment():
    m = parse(Composer(SETTINGS).compose(reminder_row()).data)
    assert m["Subject"] == "Reminder from Anna Admin: outstanding tasks for Café Noir"
    text = m.get_body(("plain",)).get_content()
    assert "missing receipts: 4" in text and "wallet balance: €1,234.56" in text
    assert "ready for export" not in text
    assert "Please <b>upload</b> & check" in text
    html = m.get_body(("html",)).get_content()
    assert "Please &lt;b&gt;upload&lt;/b&gt; &amp; check" in html and "<b>upload" not in html
    assert m["List-Unsubscribe"] is None


def test_dutch_reminder_without_comment():
    m = parse(Composer(SETTINGS).compose(reminder_row(locale="nl", comment=None,
                                                      tasks=["ready_for_export"])).data)
    assert m["Subject"] == "Herinnering van Anna Admin: openstaande taken voor Café Noir"
    text = m.get_body(("plain",)).get_content()
    assert "uitgaven klaar voor export: 2" in text and "Opmerking" not in text


def test_names_from_events_cannot_add_headers():
    row = digest_row([client("A", 1, 0)], name="Evil\r\nBcc: victim@example.com")
    m = parse(Composer(SETTINGS).compose(row).data)
    assert m["Bcc"] is None and "Evil" in m["To"]


@pytest.mark.parametrize("text", ["plain ascii", "Je wekelijkse overzicht: 12 cliënten " * 5,
                                  "€ 1.234,56 — ängström ✓"])
def test_encoded_words_round_trip(text):
    m = parse(f"Subject: {encode_words(text)}\r\n\r\n".encode())
    assert m["Subject"] == text


def test_addresses_are_quoted_or_encoded():
    m = parse((f"To: {format_address('De Vries, Jan', 'jan@example.com')}\r\n"
               f"Cc: {format_address('Zoë', 'zoe@example.com')}\r\n\r\n").encode())
    assert m["To"].addresses[0].display_name == "De Vries, Jan"
    assert m["Cc"].addresses[0].display_name == "Zoë"


def test_fast_money_formatting_matches_babel_to_the_character():
    rng = random.Random(7)
    amounts = [0, 1, -1, 99, -100, 123456, -99999999, 10**12] + [
        rng.randint(-10**10, 10**10) for _ in range(200)]
    for currency in ("EUR", "DKK", "USD", "JPY", "BHD"):
        for locale in ("nl", "en", None):
            assert [format_money(a, currency, locale) for a in amounts] == [
                babel_money(a, currency, locale) for a in amounts]
