"""The links of a digest, composed by the notifier's own Composer, opened on the portal:
the unsubscribe page in the recipient's language, the RFC 8058 one-click POST without a
session, and "Go to client" through sign-in back to the client's page."""

import email
import html
import re
import uuid
from datetime import UTC, datetime
from email import policy

import pytest

from services.notifier.domain.emails import EmailToSend, Recipient
from services.notifier.emails.compose import Composer
from services.notifier.settings import NotifierSettings
from tests.e2e.portal_http.conftest import text_of

pytestmark = pytest.mark.e2e


def _digest(portal, person, clients: dict[str, str]):
    """The digest the notifier would send `person` about `clients` (name -> id)."""
    email_id = uuid.uuid4()
    firm_id, now = uuid.uuid4(), datetime.now(UTC)
    digest = EmailToSend(
        kind="digest", id=email_id, staff_id=uuid.UUID(person.id),
        message_id=f"<digest.{email_id}@partner-portal.local>",
        created_at=now, scheduled_for=now, admin_name=None, attempts=0, lease_until=now,
        recipient=Recipient(email="x@firm.example", name=person.name, locale=person.locale,
                            active=True, firm_id=firm_id),
        payload={"firm_id": str(firm_id), "clients": [
            {"client_id": cid, "name": name, "frequency": "weekly", "missing_receipts": 1,
             "ready_for_export": 0, "wallet_balance_minor": None, "wallet_currency": None}
            for name, cid in clients.items()]})
    composer = Composer(NotifierSettings(app_env="test", public_base_url=portal.url))
    return email.message_from_bytes(composer.compose(digest).data, policy=policy.default)


async def _emails_on(portal, person, client_ids) -> None:
    for client in client_ids:
        answer = await portal.api(person, "PUT", f"/v1/clients/{client}/notifications",
                                  json={"email": True, "frequency": "weekly"})
        assert answer.status_code == 200


async def _emails(portal, person, client_ids) -> list[bool]:
    return [(await portal.api(person, "GET", f"/v1/clients/{c}/notifications")).json()["email"]
            for c in client_ids]


async def _team(portal, locale):
    firm = await portal.firm()
    keeper = await portal.person(firm, f"Bram {uuid.uuid4().hex[:4]}", locale=locale)
    admin = await portal.person(firm, "Admin", "admin")
    clients = {name: await portal.client(firm, name) for name in ("Café Noir", "Bakkerij")}
    for client in clients.values():
        await portal.api(admin, "PUT", f"/v1/clients/{client}/assignees",
                         json={"staff_ids": [keeper.id]})
    await _emails_on(portal, keeper, clients.values())
    return keeper, clients


@pytest.mark.parametrize("locale, ask, button, done", [
    ("nl", "De e-mailoverzichten voor deze 2 cliënten stoppen?", "Afmelden", "Gelukt: je "
     "ontvangt geen e-mailoverzichten meer voor deze cliënten."),
    ("en", "Stop the email digests for these 2 clients?", "Unsubscribe", "Done: you will no "
     "longer receive email digests for these clients.")])
async def test_the_unsubscribe_link_opens_a_page_in_the_recipients_language(
        portal, browsers, locale, ask, button, done):
    keeper, clients = await _team(portal, locale)
    message = _digest(portal, keeper, clients)
    body = message.get_body(("plain",)).get_content()
    link = re.search(rf"{re.escape(portal.url)}/unsubscribe\?\S+", body).group(0)
    browser = await browsers()  # the recipient's mail app: no session
    page = await browser.get(link)
    assert page.status_code == 200 and f'<html lang="{locale}">' in page.text
    assert ask in text_of(page.text) and f">{button}</button>" in page.text
    assert await _emails(portal, keeper, clients.values()) == [True, True]  # GET changes nothing

    action = html.unescape(re.search(r'<form method="post" action="([^"]+)"', page.text)[1])
    answer = await browser.post(action, {"List-Unsubscribe": "One-Click"}, csrf=False)
    assert answer.status_code == 200 and done in text_of(answer.text)
    assert await _emails(portal, keeper, clients.values()) == [False, False]


async def test_one_click_post_of_the_header_works_without_a_session(portal, browsers):
    keeper, clients = await _team(portal, "nl")
    message = _digest(portal, keeper, clients)
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = re.sub(r"\s+", "", message["List-Unsubscribe"]).strip("<>")
    assert url.startswith(f"{portal.url}/unsubscribe?lang=nl&token=")
    mail_client = await browsers()
    answer = await mail_client.post(url, {"List-Unsubscribe": "One-Click"}, csrf=False)
    assert answer.status_code == 200
    assert await _emails(portal, keeper, clients.values()) == [False, False]
    again = await mail_client.post(url, {"List-Unsubscribe": "One-Click"}, csrf=False)
    assert again.status_code == 200  # a repeat is harmless


async def test_a_broken_unsubscribe_link_says_so(portal, browsers):
    browser = await browsers()
    for method in ("get", "post"):
        call = browser.get if method == "get" else browser.http.post
        answer = await call("/unsubscribe", params={"lang": "nl", "token": "not-a-token"})
        assert answer.status_code == 400, method
        assert "Deze afmeldlink is ongeldig of verlopen." in text_of(answer.text)


async def test_go_to_client_in_a_digest_signs_in_first_then_opens_the_client(portal, browsers):
    keeper, clients = await _team(portal, "en")
    message = _digest(portal, keeper, clients)
    body = message.get_body(("plain",)).get_content()
    link = f"{portal.url}/clients/{clients['Café Noir']}"
    assert f"Go to client: {link}" in body
    browser = await browsers()
    away = await browser.get(link)
    assert away.status_code == 303
    assert away.headers["location"] == f"/sign-in?next=%2Fclients%2F{clients['Café Noir']}"
    sign_in = await browser.get(away.headers["location"])
    assert f'name="next" value="/clients/{clients["Café Noir"]}"' in sign_in.text
    signed = await browser.http.post("/session", data={
        "token": portal.token(keeper), "next": f"/clients/{clients['Café Noir']}"})
    assert signed.status_code == 303
    assert signed.headers["location"] == f"/clients/{clients['Café Noir']}"
    page = await browser.get(signed.headers["location"])
    assert page.status_code == 200 and "<h1>Café Noir</h1>" in page.text


async def test_sign_in_never_sends_the_browser_to_another_site(portal, browsers):
    firm = await portal.firm()
    keeper = await portal.person(firm, "Keeper")
    browser = await browsers()
    for target in ("//evil.example/x", "https://evil.example/", "/\\evil.example"):
        signed = await browser.http.post("/session", data={"token": portal.token(keeper),
                                                            "next": target})
        assert signed.status_code == 303 and signed.headers["location"] == "/clients", target
