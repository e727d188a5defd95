"""The Clients page over HTTP: the portal app in front of a real clients service.

Asserts on the HTML a browser would get: tab names and counts, rows, the menus, the URL
state, sessions and CSRF. (Browser tests in Chromium live with the end-to-end tests.)
"""

import html
import re
import uuid

import jwt
import pytest
from markupsafe import escape

from shared.db.migrate import migrate_all
from tests.e2e.portal_stack import PortalStack
from tests.integration.portal.portal_world import (PAGE_SIZE, PortalWorld, browser, csrf_of,
                                                   next_cursor, portal_app, row_names,
                                                   selected_tab, sign_in, tab_names, text)

pytestmark = pytest.mark.integration
BULK = 45  # with the 3 named clients: 48 active, three pages of PAGE_SIZE


@pytest.fixture(scope="module")
async def world(settings, producer):
    await migrate_all(settings.database_url)
    stack = PortalStack(settings, label="portal")
    await stack.start()
    try:
        import httpx
        async with httpx.AsyncClient(timeout=10) as http:
            world = await PortalWorld(stack, http, None).build(bulk=BULK)
            await world.missing_receipt(producer, "Café Noir B.V.")
            await world.missing_receipt(producer, "Café Noir B.V.")
            await world.missing_receipt(producer, "Ångström Consulting AB")
            await world.wait_missing("Café Noir B.V.", 2)
            await world.wait_missing("Ångström Consulting AB", 1)
            app, world.settings = portal_app(stack)
            world.app = app
            yield world
    finally:
        await stack.stop()


@pytest.fixture
async def admin(world):
    async with await browser(world.app) as client:
        assert (await sign_in(client, world.token(world.admin))).status_code == 303
        yield client


@pytest.fixture
async def bookkeeper(world):
    async with await browser(world.app) as client:
        assert (await sign_in(client, world.token(world.bookkeeper))).status_code == 303
        yield client


async def test_sign_in_sets_a_safe_cookie_and_goes_to_clients(world):
    async with await browser(world.app) as client:
        response = await sign_in(client, world.token(world.admin))
    assert response.status_code == 303 and response.headers["location"] == "/clients"
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "path=/" in cookie
    assert "secure" not in cookie  # PUBLIC_BASE_URL is http in tests


async def test_forged_and_expired_tokens_get_no_session(world):
    forged = jwt.encode({"sub": world.admin, "iss": "partner-portal", "aud": "partner-portal",
                         "exp": 4102444800}, "not-the-secret" * 3, "HS256")
    expired = jwt.encode({"sub": world.admin, "iss": "partner-portal", "aud": "partner-portal",
                          "exp": 1}, world.stack.settings.auth_jwt_secret, "HS256")
    for token in (forged, expired, "", "garbage"):
        async with await browser(world.app) as client:
            response = await sign_in(client, token)
            assert response.status_code == 401
            assert "This sign-in token is not valid or has expired" in response.text
            assert "portal_session" not in client.cookies
            assert (await client.get("/clients")).headers["location"].startswith("/sign-in")


async def test_without_a_session_pages_redirect_to_sign_in(world):
    async with await browser(world.app) as client:
        for path in ("/clients", "/clients?tab=all", "/clients/rows", "/clients/invite"):
            response = await client.get(path)
            assert response.status_code == 303
            assert response.headers["location"].startswith("/sign-in")
        client.cookies.set("portal_session", "v1.forged.payload")
        assert (await client.get("/clients")).status_code == 303


async def test_admin_sees_every_tab_with_counts_and_the_header(world, admin):
    page = (await admin.get("/clients?tab=all")).text
    assert tab_names(page) == ["Invitations 1", "My clients 0", f"All {BULK + 3}"]
    assert selected_tab(page) == f"All {BULK + 3}"
    assert "Eva Jansen" in page and ">Sign out<" in page and 'id="main"' in page
    assert row_names(page)[:3] == ["Ångström Consulting AB", f"Bulk 000 {_tag(page)}",
                                   f"Bulk 001 {_tag(page)}"]
    assert len(row_names(page)) == PAGE_SIZE
    for column in ("Client", "Assigned to", "Missing receipts", "Ready for export",
                   "Wallet balance"):
        assert f">{column}</th>" in page
    assert 'aria-label="More actions for Ångström Consulting AB"' in page
    assert ">Go to client</button>" in page and ">View details</a>" in page
    assert ">Invite a client</button>" in page
    assert '<label for="assignee">Assigned to</label>' in page
    assert ">Daan de Vries</option>" in page


async def test_an_admin_without_clients_of_their_own_lands_on_all(world, admin):
    page = (await admin.get("/clients")).text
    assert selected_tab(page) == f"All {BULK + 3}" and len(row_names(page)) == PAGE_SIZE
    # Asked for by name, My clients stays My clients, empty as it is.
    assert selected_tab((await admin.get("/clients?tab=my")).text) == "My clients 0"


async def test_dutch_bookkeeper_sees_only_my_clients_in_dutch(world, bookkeeper):
    page = (await bookkeeper.get("/clients")).text
    assert tab_names(page) == ["Mijn cliënten 2"]
    assert row_names(page) == ["Café Noir B.V.", "Zeta Handel B.V."]
    assert '<html lang="nl">' in page and ">Afmelden<" in page
    assert '<label for="q">Cliënten zoeken</label>' in page
    assert ">Meer filters<" in page and ">Sorteren op<" in page
    assert 'aria-label="Meer acties voor Café Noir B.V."' in page
    assert "Naar cliënt" in page and "Details bekijken" in page
    assert "Cliënt uitnodigen" not in page and 'id="assignee"' not in page
    # Asking for an admin's tab falls back to the bookkeeper's own.
    assert selected_tab((await bookkeeper.get("/clients?tab=all")).text) == "Mijn cliënten 2"


async def test_search_ignores_accents_and_case(world, admin):
    page = (await admin.get("/clients?tab=all&q=CAFE")).text
    assert row_names(page) == ["Café Noir B.V."]
    assert 'value="CAFE"' in page
    fragment = (await admin.get("/clients/rows?tab=all&q=angstrom")).text
    assert row_names(fragment) == ["Ångström Consulting AB"]
    assert "<html" not in fragment  # only the list, for search as you type


async def test_no_match_says_so(world, admin):
    page = (await admin.get("/clients?tab=all&q=no-such-client-anywhere")).text
    assert "No clients match your search" in page and row_names(page) == []


async def test_missing_receipts_filter_and_the_figures(world, admin):
    page = (await admin.get("/clients?tab=all&missing_receipts=1")).text
    assert row_names(page) == ["Ångström Consulting AB", "Café Noir B.V."]
    assert 'id="missing_receipts" name="missing_receipts" type="checkbox" value="1" checked' in page
    cafe_row = page[page.index("Café Noir B.V.</a>"):].split("</tr>")[0]
    assert re.search(r'class="num attention">2<', cafe_row)
    assert "Daan de Vries" in cafe_row


async def test_sorts_both_ways_and_by_missing_receipts(world, admin):
    asc = row_names((await admin.get("/clients?tab=all&q=b.v.")).text)
    desc = row_names((await admin.get("/clients?tab=all&q=b.v.&sort=name_desc")).text)
    assert asc == ["Café Noir B.V.", "Zeta Handel B.V."] and desc == list(reversed(asc))
    most = row_names((await admin.get("/clients?tab=all&sort=missing_receipts")).text)
    assert most[:2] == ["Café Noir B.V.", "Ångström Consulting AB"]
    page = (await admin.get("/clients?tab=all&sort=name_desc")).text
    assert '<option value="name_desc" selected>Name (Z–A)</option>' in page


async def test_assigned_to_filter(world, admin):
    page = (await admin.get(f"/clients?tab=all&assignee={world.bookkeeper}")).text
    assert row_names(page) == ["Café Noir B.V.", "Zeta Handel B.V."]


async def test_load_more_pages_to_the_end_without_duplicates(world, admin):
    page = (await admin.get("/clients?tab=all")).text
    names, cursor, pages = row_names(page), next_cursor(page), 1
    assert '<button type="submit" class="button">Load more</button>' in page
    while cursor:
        fragment = (await admin.get("/clients/rows", params={"tab": "all", "cursor": cursor})).text
        names += row_names(fragment)
        cursor, pages = next_cursor(fragment), pages + 1
    assert pages == 3 and len(names) == BULK + 3 == len(set(names))
    # Without JavaScript "Load more" opens the next page as a whole page.
    second = (await admin.get("/clients", params={"tab": "all",
                                                  "cursor": next_cursor(page)})).text
    assert row_names(second) == names[PAGE_SIZE:2 * PAGE_SIZE]


async def test_accept_needs_the_csrf_token_and_then_moves_the_invitation(world, admin):
    page = (await admin.get("/clients?tab=invitations")).text
    assert row_names(page) == ["Uitgenodigd B.V."]
    assert ">Accept</button>" in page and ">Decline</button>" in page
    client_id = world.clients["Uitgenodigd B.V."]
    refused = await admin.post(f"/invitations/{client_id}/accept", data={"back": "/clients"})
    assert refused.status_code == 403 and "This form has expired" in refused.text
    wrong = await admin.post(f"/invitations/{client_id}/accept", data={"csrf_token": "x"})
    assert wrong.status_code == 403
    accepted = await admin.post(f"/invitations/{client_id}/accept", data={
        "csrf_token": csrf_of(page), "back": "/clients?tab=invitations"})
    assert accepted.status_code == 303
    after = (await admin.get(accepted.headers["location"])).text
    assert "Invitation accepted" in after
    assert not any(name.startswith("Invitations") for name in tab_names(after))
    assert "Uitgenodigd B.V." in row_names((await admin.get("/clients?tab=all&q=uitgenodigd")).text)


async def test_invite_a_client_and_a_refusal_reads_as_a_message(world, admin):
    form = (await admin.get("/clients/invite")).text
    for label in ("Company name", "Registration number", "Country", "Contact email"):
        assert f">{label}</label>" in form
    bad = await admin.post("/clients/invite", data={
        "csrf_token": csrf_of(form), "name": "Nieuw B.V.", "registration_number": "NL-1",
        "country": "Netherlands", "contact_email": "owner@nieuw.example"})
    assert bad.status_code == 422 and 'role="alert"' in bad.text
    assert 'id="country" name="country"' in bad.text and 'aria-invalid="true"' in bad.text
    assert 'value="Nieuw B.V."' in bad.text  # what was typed stays
    name = f"Nieuw {uuid.uuid4().hex[:6]} B.V."
    sent = await admin.post("/clients/invite", data={
        "csrf_token": csrf_of(form), "name": name, "registration_number": "NL-2",
        "country": "nl", "contact_email": "owner@nieuw.example"})
    assert (sent.status_code, sent.headers["location"]) == (
        303, "/clients?tab=onboarding&notice=invited")
    page = (await admin.get(sent.headers["location"])).text
    assert "Invitation sent" in page and name in row_names(page)
    assert selected_tab(page) == "Onboarding 1"


async def test_a_bookkeeper_inviting_reads_the_refusal(world, bookkeeper):
    form = await bookkeeper.get("/clients/invite")
    assert form.status_code == 403
    assert "Alleen de beheerders van je kantoor mogen dit." in form.text
    page = (await bookkeeper.get("/clients")).text
    response = await bookkeeper.post("/clients/invite", data={
        "csrf_token": csrf_of(page), "name": "X B.V.", "registration_number": "1",
        "country": "NL", "contact_email": "a@b.example"})
    assert response.status_code == 403
    assert "Alleen de beheerders van je kantoor mogen dit." in response.text


async def test_sign_out_ends_the_session(world):
    async with await browser(world.app) as client:
        await sign_in(client, world.token(world.admin))
        response = await client.post("/sign-out")
        assert (response.status_code, response.headers["location"]) == (
            303, "/sign-in?reason=signed_out")
        assert (await client.get("/clients")).headers["location"].startswith("/sign-in")


async def test_the_api_down_gives_a_try_again_page(world):
    app, _ = portal_app(world.stack, clients_api_url="http://127.0.0.1:9")
    async with await browser(world.app) as signed:
        await sign_in(signed, world.token(world.admin))
        cookie = signed.cookies["portal_session"]
    async with await browser(app) as client:
        client.cookies.set("portal_session", cookie)
        response = await client.get("/clients")
        assert response.status_code == 503 and ">Try again</a>" in response.text
        assert (await client.get("/readyz")).status_code == 503


async def test_dev_sign_in_lists_the_firm_and_is_gone_in_production(world, tmp_path):
    demo = tmp_path / "demo.json"
    demo.write_text(f'{{"admin_id": "{world.admin}"}}')
    app, _ = portal_app(world.stack, dev_staff_file=str(demo))
    async with await browser(app) as client:
        page = (await client.get("/dev/sign-in")).text
        assert ">Sign in as Eva Jansen</button>" in page
        assert ">Sign in as Daan de Vries</button>" in page
        token = html.unescape(re.search(
            r'name="token" value="([^"]+)">\s*<button[^>]*>Sign in as Daan de Vries', page
        ).group(1))
        assert (await sign_in(client, token)).status_code == 303
        assert tab_names((await client.get("/clients")).text) == ["Mijn cliënten 2"]
    production = world.settings.model_copy(update={"app_env": "production"})
    from services.portal.app import create_app
    async with await browser(create_app(production)) as client:
        assert (await client.get("/dev/sign-in")).status_code == 404


def _tag(page: str) -> str:
    return re.search(r"Bulk 000 (\w+)", page).group(1)


def test_text_helper():
    assert text("<b>A</b> &amp; <i>B</i>") == "A & B"


def _invitations(page: str) -> int:
    counts = [int(n.split()[-1]) for n in tab_names(page) if n.startswith("Invitations ")]
    return counts[0] if counts else 0


async def test_tab_counts_are_kept_briefly_and_a_change_through_the_portal_shows_at_once(world):
    app, _ = portal_app(world.stack, portal_lists_cache_seconds=60)
    async with await browser(app) as admin:
        assert (await sign_in(admin, world.token(world.admin))).status_code == 303
        before = _invitations((await admin.get("/clients?tab=all")).text)
        # Two clients ask for the firm outside the portal: the kept counts do not know yet.
        new = [await world._linked_client(f"Kept {n} {uuid.uuid4().hex[:6]}",
                                          "invitation_pending") for n in range(2)]
        page = (await admin.get("/clients?tab=all")).text
        assert _invitations(page) == before
        # A decline through the portal forgets them: the counts are the API's again.
        declined = await admin.post(f"/invitations/{new[0]}/decline", data={
            "csrf_token": csrf_of(page), "back": "/clients?tab=all"})
        assert declined.status_code == 303
        after = (await admin.get(declined.headers["location"])).text
        assert "Invitation declined" in after and _invitations(after) == before + 1
        await admin.post(f"/invitations/{new[1]}/decline", data={"csrf_token": csrf_of(page)})
    await app.state.portal.api.close()


async def test_a_hostile_name_in_a_row_reads_as_text_never_as_markup(world):
    """The rows are escaped once in the view model, not by the template: a name with markup
    in it comes out as text in the link, the badge row and the menu's names."""
    internal, hostile = world.stack.internal_headers, '<script>alert("x")</script> & Co\'s'
    firm = await world.call("POST", "/internal/v1/firms", headers=internal,
                            body={"name": f"Hostile firm {uuid.uuid4().hex[:6]}"})
    admin = await world.call("POST", f"/internal/v1/firms/{firm['id']}/staff",
                             headers=internal, body={
                                 "email": f"admin-{uuid.uuid4().hex[:8]}@firm.example",
                                 "name": "A <b>bold</b> admin", "role": "admin",
                                 "locale": "en"})
    for state in ("active", "invitation_pending"):
        client = await world.call("POST", "/internal/v1/clients", headers=internal, body={
            "name": hostile, "registration_number": "<i>1</i>", "country": "NL"})
        await world.call("POST", f"/internal/v1/firms/{firm['id']}/links", headers=internal,
                         body={"client_id": client["id"], "state": state})
    async with await browser(world.app) as browser_of_admin:
        assert (await sign_in(browser_of_admin, world.token(admin["id"]))).status_code == 303
        page = (await browser_of_admin.get("/clients?tab=all")).text
        invitations = (await browser_of_admin.get("/clients?tab=invitations")).text
    escaped = str(escape(hostile))
    for shown in (page, invitations):
        assert "<script>alert" not in shown and "<i>1</i>" not in shown
        assert "<b>bold</b>" not in shown
        assert row_names(shown) == [hostile] and f'">{escaped}</a>' in shown
    assert f'aria-label="More actions for {escaped}"' in page  # the active row's menu
    assert 'value="/clients?tab=invitations"' in invitations  # Accept/Decline come back here
