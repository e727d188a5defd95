"""The details page in a real browser: email settings, Notify bookkeepers and its email."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from babel.dates import get_month_names
from playwright.async_api import expect

from tests.e2e.portal.conftest import sign_in
from tests.e2e.portal.helpers import until

pytestmark = pytest.mark.e2e


async def test_email_settings_save_and_show_the_first_email_in_dutch(page, world):
    client_id = world.clients["Café Noir B.V."]
    await sign_in(page, world, world.daan)
    await page.goto(f"{world.url}/clients/{client_id}")
    await expect(page.get_by_role("heading", level=1, name="Café Noir B.V.")).to_be_visible()
    await page.get_by_role("checkbox", name="E-mail mij over deze cliënt").check()
    frequency = page.get_by_role("radiogroup", name="Frequentie")
    await frequency.get_by_role("radio", name="Wekelijks").check()
    await page.get_by_role("button", name="Opslaan", exact=True).click()

    status = page.get_by_role("status").filter(has_text="Eerste e-mail:")
    await expect(status).to_be_visible()
    saved = await world.api(world.daan, f"/v1/clients/{client_id}/notifications")
    assert (saved["email"], saved["frequency"]) == (True, "weekly")
    first = datetime.fromisoformat(saved["first_digest_at"]).astimezone(
        ZoneInfo(world.stack.settings.digest_timezone))
    text = await status.inner_text()
    months = {get_month_names("wide", locale="nl")[first.month],
              get_month_names("abbreviated", locale="nl")[first.month]}
    assert any(m in text for m in months), f"{text!r} lacks the Dutch month of {first}"
    assert re.search(rf"\b{first.day}\b", text) and first.strftime("%H:%M") in text, text

    # Saved for real: a fresh load shows the setting.
    await page.reload()
    await expect(page.get_by_role("checkbox", name="E-mail mij over deze cliënt")).to_be_checked()
    await expect(frequency.get_by_role("radio", name="Wekelijks")).to_be_checked()


async def test_notify_bookkeepers_sends_the_email_and_lists_the_reminder(page, world):
    client_id = world.clients["Bakkerij Bos"]
    comment = "Please upload the receipts of the bakery's March purchases"
    await sign_in(page, world, world.admin)
    await page.goto(f"{world.url}/clients/{client_id}")
    await page.get_by_role("button", name="Notify bookkeepers").click()
    dialog = page.get_by_role("dialog")
    await expect(dialog).to_be_visible()
    await dialog.get_by_role("checkbox", name="Missing receipts").check()
    await dialog.get_by_role("textbox", name="Comment").fill(comment)
    await dialog.get_by_role("button", name="Send email").click()
    await expect(page.get_by_role("status").filter(
        has_text=re.compile(r"Email sent to 1 bookkeepers?"))).to_be_visible()

    emails = await until(lambda: _emails_to(world, world.daan.email), "the reminder email",
                         timeout=30)
    message = emails[0].message
    body = message.get_body(("plain", "html")).get_content()
    assert "Bakkerij Bos" in f"{message['Subject']} {body}"
    assert comment in body or comment.replace("'", "&#39;") in body

    await page.reload()
    sent = page.get_by_role("list").filter(has_text=comment)
    await expect(sent).to_be_visible()
    await expect(sent.get_by_role("listitem").filter(has_text=comment)).to_contain_text("Open")


async def _emails_to(world, address):
    return world.sink.handler.to(address)


async def test_notify_bookkeepers_without_assignees_shows_the_409_as_an_alert(page, world):
    await sign_in(page, world, world.admin)
    await page.goto(f"{world.url}/clients/{world.clients['Zeilmakerij Zuid V.O.F.']}")
    await page.get_by_role("button", name="Notify bookkeepers").click()
    dialog = page.get_by_role("dialog")
    await dialog.get_by_role("checkbox", name="Missing receipts").check()
    await dialog.get_by_role("button", name="Send email").click()
    await expect(page.get_by_role("alert").filter(has_text=re.compile("bookkeeper", re.I))
                 ).to_be_visible()
    await expect(page.get_by_role("status").filter(has_text="Email sent")).to_have_count(0)
