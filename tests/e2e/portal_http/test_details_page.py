"""The details page over HTTP against a real clients service: what admins and bookkeepers
see, email settings with the first email, assignees, and Notify bookkeepers (sent, 409)."""

import asyncio
import re
import uuid
from datetime import datetime

import pytest

from shared.formatting import format_moment
from tests.e2e.portal_http.conftest import element, text_of
from tests.integration.notifier.factories import wallet_changed

pytestmark = pytest.mark.e2e


async def _team(portal):
    """A firm with an English admin, a Dutch bookkeeper (Daan) and an English one (Sophie)."""
    firm = await portal.firm()
    tag = uuid.uuid4().hex[:4]
    admin = await portal.person(firm, f"Eva Admin {tag}", "admin")
    daan = await portal.person(firm, f"Daan de Vries {tag}", locale="nl")
    sophie = await portal.person(firm, f"Sophie Miller {tag}")
    return firm, admin, daan, sophie


async def _with_balance(portal, admin, client_id: str, minor: int) -> None:
    await portal.producer.send_many([(portal.stack.topics["wallets"], wallet_changed(
        client_id=uuid.UUID(client_id), balance_minor=minor, sequence=1))])
    for _ in range(150):
        item = (await portal.api(admin, "GET", f"/v1/clients/{client_id}")).json()
        if item["wallet_balance"]:
            return
        await asyncio.sleep(0.1)
    raise AssertionError("the wallet event never reached the clients service")


async def test_admin_sees_figures_assignee_checkboxes_and_notify(portal, browsers):
    firm, admin, daan, sophie = await _team(portal)
    client = await portal.client(firm, "Café Noir B.V.")
    await _with_balance(portal, admin, client, 123456)
    await portal.api(admin, "PUT", f"/v1/clients/{client}/assignees",
                     json={"staff_ids": [daan.id]})
    page = await (await browsers(admin)).get(f"/clients/{client}")
    assert page.status_code == 200
    assert "<h1>Café Noir B.V.</h1>" in page.text
    text = text_of(page.text)
    assert "€1,234.56" in text and "Missing receipts" in text
    # A checkbox per staff member, labelled with the name; only the assignee ticked.
    for person, ticked in ((admin, False), (daan, True), (sophie, False)):
        box = re.search(rf'<input type="checkbox" id="staff-{person.id}"[^>]*>', page.text)
        assert box and ("checked" in box.group(0)) == ticked, person.name
        assert f'<label for="staff-{person.id}">{person.name}</label>' in page.text
    assert ">Save assignees</button>" in page.text
    assert ">Notify bookkeepers</button>" in page.text and "<dialog" in page.text
    for name in ("Missing receipts", "Expenses ready for export", "Wallet balance",
                 "Comment", "Send email"):
        assert f">{name}<" in element(page.text, 'id="notify-dialog"'), name


async def test_a_dutch_bookkeeper_sees_dutch_money_and_no_admin_controls(portal, browsers):
    firm, admin, daan, _ = await _team(portal)
    client = await portal.client(firm, "Bakkerij Bos")
    hidden = await portal.client(firm, "Not Assigned B.V.")
    await _with_balance(portal, admin, client, 123456)
    await portal.api(admin, "PUT", f"/v1/clients/{client}/assignees",
                     json={"staff_ids": [daan.id]})
    browser = await browsers(daan)
    page = await browser.get(f"/clients/{client}")
    assert page.status_code == 200 and '<html lang="nl">' in page.text
    text = text_of(page.text)
    assert "€ 1.234,56" in text and "Ontbrekende bonnen" in text
    assert ">E-mail mij over deze cliënt</label>" in page.text
    assert 'role="radiogroup"' in page.text and ">Frequentie</legend>" in page.text
    for label in ("Dagelijks", "Wekelijks", "Maandelijks"):
        assert f">{label}</label>" in page.text
    assert ">Opslaan</button>" in page.text
    assert "Toewijzing opslaan" not in text and "Boekhouders informeren" not in text
    assert "<dialog" not in page.text
    # Another client of the firm, not assigned to Daan: a readable 404, in Dutch.
    refused = await browser.get(f"/clients/{hidden}")
    assert refused.status_code == 404
    assert "Deze cliënt bestaat niet of je mag hem niet zien." in text_of(refused.text)


@pytest.mark.parametrize("locale, words", [
    ("en", ("Email me about this client", "First email: ", "You will get no emails")),
    ("nl", ("E-mail mij over deze cliënt", "Eerste e-mail: ", "Je krijgt geen e-mails"))])
async def test_saving_email_settings_shows_the_first_email_in_the_readers_language(
        portal, browsers, settings, locale, words):
    firm = await portal.firm()
    admin = await portal.person(firm, "Admin", "admin", locale=locale)
    client = await portal.client(firm, "Garage Groen")
    browser = await browsers(admin)
    page = await browser.get(f"/clients/{client}")
    assert f">{words[0]}</label>" in page.text and words[1] not in text_of(page.text)

    saved = await browser.post(f"/clients/{client}/notifications",
                               {"email": "1", "frequency": "monthly"})
    assert saved.status_code == 303
    assert saved.headers["location"] == f"/clients/{client}?done=email#email-settings"
    stored = (await portal.api(admin, "GET", f"/v1/clients/{client}/notifications")).json()
    assert (stored["email"], stored["frequency"]) == (True, "monthly")
    first = format_moment(datetime.fromisoformat(stored["first_digest_at"]),
                          tz=settings.digest_timezone, locale=locale)
    page = await browser.get(f"/clients/{client}?done=email")
    status = text_of(element(page.text, 'role="status"'))
    assert status == f"{words[1]}{first}"
    assert re.search(r'id="email-on"[^>]*checked', page.text)
    assert re.search(r'id="frequency-monthly"[^>]*checked', page.text)

    # The page's script asks for the outcome only; turning email off says so.
    off = await browser.post(f"/clients/{client}/notifications", {"frequency": "monthly"},
                             headers={"X-Portal-Fragment": "1"})
    assert off.status_code == 200 and off.headers["x-portal-fragment"] == "outcome"
    assert words[2] in text_of(off.text) and "<html" not in off.text
    stored = (await portal.api(admin, "GET", f"/v1/clients/{client}/notifications")).json()
    assert stored["email"] is False and stored["first_digest_at"] is None


async def test_admin_saves_assignees(portal, browsers):
    firm, admin, daan, sophie = await _team(portal)
    client = await portal.client(firm, "Zeilmakerij Zuid")
    browser = await browsers(admin)
    await browser.get(f"/clients/{client}")
    saved = await browser.post(f"/clients/{client}/assignees",
                               [("staff_ids", sophie.id), ("staff_ids", daan.id)])
    assert saved.status_code == 303 and "done=assignees" in saved.headers["location"]
    item = (await portal.api(admin, "GET", f"/v1/clients/{client}")).json()
    assert {a["id"] for a in item["assignees"]} == {daan.id, sophie.id}
    page = await browser.get(f"/clients/{client}?done=assignees")
    assert "Assignees saved." in text_of(page.text)
    assert re.search(rf'id="staff-{sophie.id}"[^>]*checked', page.text)
    # Unticking everyone leaves the client unassigned.
    await browser.post(f"/clients/{client}/assignees", {})
    assert (await portal.api(admin, "GET", f"/v1/clients/{client}")).json()["assignees"] == []


async def test_a_bookkeeper_cannot_save_assignees(portal, browsers):
    firm, admin, daan, _ = await _team(portal)
    client = await portal.client(firm, "Kapsalon Knip")
    await portal.api(admin, "PUT", f"/v1/clients/{client}/assignees",
                     json={"staff_ids": [daan.id]})
    browser = await browsers(daan)
    await browser.get(f"/clients/{client}")
    refused = await browser.post(f"/clients/{client}/assignees", {"staff_ids": daan.id})
    assert refused.status_code == 403
    assert "Alleen de beheerders van je kantoor mogen dit." in text_of(refused.text)


async def test_notify_bookkeepers_409_alert_then_sent_and_listed(portal, browsers):
    firm, admin, daan, _ = await _team(portal)
    client = await portal.client(firm, "Drukkerij Dijk")
    browser = await browsers(admin)
    await browser.get(f"/clients/{client}")
    form = [("tasks", "missing_receipts"), ("tasks", "wallet_balance"),
            ("comment", "Please upload March"), ("idempotency_key", uuid.uuid4().hex)]

    # Nobody assigned: the API's 409 as an alert, in the dialog, open without JavaScript.
    refused = await browser.post(f"/clients/{client}/reminders", form)
    assert refused.status_code == 409
    alert = text_of(element(refused.text, 'role="alert"'))
    assert alert.startswith("No bookkeeper is assigned to this client")
    assert re.search(r'<dialog id="notify-dialog"[^>]*\bopen\b', refused.text)
    fragment = await browser.post(f"/clients/{client}/reminders", form,
                                  headers={"X-Portal-Fragment": "1"})
    assert fragment.status_code == 409 and 'role="alert"' in fragment.text
    assert "Email sent" not in fragment.text

    await portal.api(admin, "PUT", f"/v1/clients/{client}/assignees",
                     json={"staff_ids": [daan.id, admin.id]})
    sent = await browser.post(f"/clients/{client}/reminders", form)
    assert sent.status_code == 303
    assert sent.headers["location"] == f"/clients/{client}?done=reminder&sent=1#reminders"
    again = await browser.post(f"/clients/{client}/reminders", form)  # a double click
    assert again.status_code == 303
    reminders = (await portal.api(admin, "GET", f"/v1/clients/{client}/reminders")).json()
    assert len(reminders["items"]) == 1
    assert reminders["items"][0]["recipient_ids"] == [daan.id]

    page = await browser.get(f"/clients/{client}?done=reminder&sent=1")
    status = element(page.text, 'message--success" role="status"')
    assert text_of(status) == "Email sent to 1 bookkeepers"  # as PORTAL.md writes it
    listed = text_of(element(page.text, 'class="reminders"'))
    assert "Missing receipts, Wallet balance" in listed
    assert "Please upload March" in listed and "Open" in listed and "Resolved" not in listed


async def test_notify_bookkeepers_fragment_and_no_task(portal, browsers):
    firm, admin, daan, sophie = await _team(portal)
    client = await portal.client(firm, "Slagerij Smit")
    await portal.api(admin, "PUT", f"/v1/clients/{client}/assignees",
                     json={"staff_ids": [daan.id, sophie.id]})
    browser = await browsers(admin)
    await browser.get(f"/clients/{client}")
    none = await browser.post(f"/clients/{client}/reminders", {"comment": "x"},
                              headers={"X-Portal-Fragment": "1"})
    assert none.status_code == 422 and "Tick at least one task." in none.text
    sent = await browser.post(f"/clients/{client}/reminders",
                              {"tasks": "ready_for_export"}, headers={"X-Portal-Fragment": "1"})
    assert sent.status_code == 200
    assert text_of(element(sent.text, 'role="status"')) == "Email sent to 2 bookkeepers"


async def test_forms_without_the_csrf_token_are_refused(portal, browsers):
    firm = await portal.firm()
    admin = await portal.person(firm, "Admin", "admin")
    client = await portal.client(firm, "Bloemist Bloem")
    browser = await browsers(admin)
    await browser.get(f"/clients/{client}")
    for path, data in ((f"/clients/{client}/notifications", {"email": "1"}),
                       (f"/clients/{client}/reminders", {"tasks": "missing_receipts"}),
                       (f"/clients/{client}/assignees", {"staff_ids": admin.id})):
        refused = await browser.post(path, data, csrf=False)
        assert refused.status_code == 403, path
    stored = (await portal.api(admin, "GET", f"/v1/clients/{client}/notifications")).json()
    assert stored["email"] is False
