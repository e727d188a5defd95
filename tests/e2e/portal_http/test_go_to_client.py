"""Go to client over HTTP: the grant made through the API, the redirect, and the portal's
/client-account stand-in verifying it (and refusing forged, expired and misdirected ones)."""

import uuid
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest

from shared.formatting import format_moment
from shared.tokens import SigningKeys, make_client_access_grant
from tests.e2e.portal_http.conftest import text_of

pytestmark = pytest.mark.e2e


async def test_go_to_client_lands_on_the_verified_stand_in(portal, browsers, settings):
    firm = await portal.firm()
    admin = await portal.person(firm, "Eva Admin", "admin")
    client = await portal.client(firm, "Café Noir B.V.")
    browser = await browsers(admin)
    await browser.get(f"/clients/{client}")
    before = datetime.now(UTC)
    went = await browser.post(f"/clients/{client}/access")
    assert went.status_code == 303
    target = urlsplit(went.headers["location"])
    assert f"{target.scheme}://{target.netloc}" == portal.url
    assert target.path == f"/client-account/{client}" and target.query.startswith("grant=")

    landed = await browser.get(went.headers["location"])
    assert landed.status_code == 200
    text = text_of(landed.text)
    assert "Client account" in text and "Café Noir B.V." in text and "Eva Admin" in text
    expires = datetime.fromisoformat(
        landed.text.split('<time datetime="')[1].split('"')[0])
    assert timedelta(minutes=4) < expires - before <= timedelta(minutes=5, seconds=5)
    assert format_moment(expires, tz=settings.digest_timezone, locale="en") in text


async def test_the_stand_in_shows_ids_to_someone_not_signed_in(portal, browsers, settings):
    client, staff = uuid.uuid4(), uuid.uuid4()
    token, _ = make_client_access_grant(grant_id=uuid.uuid4(), client_id=client,
                                        staff_id=staff, keys=settings.grant_keys)
    page = await (await browsers()).get(f"/client-account/{client}", params={"grant": token})
    assert page.status_code == 200
    assert str(client) in page.text and str(staff) in page.text


async def test_forged_expired_and_misdirected_grants_are_refused(portal, browsers, settings):
    client, staff = uuid.uuid4(), uuid.uuid4()
    forged, _ = make_client_access_grant(
        grant_id=uuid.uuid4(), client_id=client, staff_id=staff,
        keys=SigningKeys(kid=settings.grant_keys.kid, secret="not-our-key-" * 4))
    expired, _ = make_client_access_grant(
        grant_id=uuid.uuid4(), client_id=client, staff_id=staff, keys=settings.grant_keys,
        now=datetime.now(UTC) - timedelta(minutes=6))
    other, _ = make_client_access_grant(grant_id=uuid.uuid4(), client_id=uuid.uuid4(),
                                        staff_id=staff, keys=settings.grant_keys)
    browser = await browsers()
    for grant, words in ((forged, "This access link is not valid"),
                         (expired, "This access link has expired"),
                         (other, "This access link is not valid"),
                         ("", "This access link is not valid")):
        page = await browser.get(f"/client-account/{client}", params={"grant": grant})
        assert page.status_code == 403
        assert words in text_of(page.text) and 'role="alert"' in page.text
        assert str(staff) not in page.text


async def test_go_to_client_needs_the_csrf_token_and_a_visible_active_client(portal, browsers):
    firm = await portal.firm()
    admin = await portal.person(firm, "Admin", "admin")
    keeper = await portal.person(firm, "Keeper")
    client = await portal.client(firm, "Visible B.V.")
    invited = await portal.client(firm, "Invited B.V.", state="invitation_pending")
    browser = await browsers(admin)
    await browser.get(f"/clients/{client}")
    assert (await browser.post(f"/clients/{client}/access", csrf=False)).status_code == 403
    refused = await browser.post(f"/clients/{invited}/access")
    assert refused.status_code == 404
    assert "This client's account is not active yet." in text_of(refused.text)
    other = await browsers(keeper)
    await other.get("/clients")
    assert (await other.post(f"/clients/{client}/access")).status_code == 404
