"""The Clients page in a real browser: tabs, search, filter, sort, load more, row actions."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.async_api import expect

from tests.e2e.portal.conftest import (DAAN_CLIENTS, FILLERS, INVITED, MISSING, NAMED,
                                       ONBOARDING, sign_in)
from tests.e2e.portal.helpers import TAB_LABELS, listed, rows, until

pytestmark = pytest.mark.e2e

FILLER_NAMES = [f"Klant {n:03d} Holding" for n in range(FILLERS)]
KNOWN = NAMED + FILLER_NAMES + [INVITED, ONBOARDING]


def query(page) -> dict:
    return {k: v[0] for k, v in parse_qs(urlsplit(page.url).query).items()}


@pytest.mark.parametrize("who", ["admin", "daan"])
async def test_tabs_and_counts_are_those_of_the_role(page, world, who):
    person = getattr(world, who)
    await sign_in(page, world, person)
    expected = {t["tab"]: t["count"] for t in await world.api(person, "/v1/clients/tabs")}
    labels = TAB_LABELS[person.locale]
    for tab, label in labels.items():
        shown = page.get_by_role("tab", name=re.compile(rf"^{re.escape(label)} \d+$"))
        if tab in expected:
            await expect(page.get_by_role("tab", name=f"{label} {expected[tab]}",
                                          exact=True)).to_be_visible()
        else:
            await expect(shown).to_have_count(0)
    if who == "daan":  # a bookkeeper: only their own three clients
        assert expected.get("my") == len(DAAN_CLIENTS)
        await page.get_by_role("tab", name=f"Mijn cliënten {len(DAAN_CLIENTS)}").click()
        await until(lambda: _names_are(page, set(DAAN_CLIENTS)), "Daan's three clients")


async def _names_are(page, wanted: set[str]) -> bool:
    return set(await listed(page, KNOWN)) == wanted


async def test_search_ignores_accents_and_case_and_lives_in_the_url(page, world):
    await sign_in(page, world, world.admin)
    await page.goto(f"{world.url}/clients?tab=all")
    await page.get_by_role("searchbox", name="Search clients").press_sequentially("CAFE")
    await until(lambda: _names_are(page, {"Café Noir B.V."}), "search 'CAFE' finds Café")
    await until(lambda: _q_is(page, "CAFE"), "q in the URL")
    # A reload shows the same list.
    await page.reload()
    await until(lambda: _names_are(page, {"Café Noir B.V."}), "same list after reload")
    await expect(page.get_by_role("searchbox", name="Search clients")).to_have_value("CAFE")

    await page.get_by_role("searchbox", name="Search clients").fill("zzzz-nobody")
    # Said twice: on the page, and in the live region a screen reader announces.
    await expect(page.get_by_text("No clients match your search").last).to_be_visible()
    await expect(rows(page)).to_have_count(0)


async def _q_is(page, q: str) -> bool:
    return query(page).get("q") == q


async def test_missing_receipts_filter(page, world):
    await sign_in(page, world, world.admin)
    await page.goto(f"{world.url}/clients?tab=all")
    await page.get_by_role("button", name="More filters").click()
    await page.get_by_role("checkbox", name="Missing receipts").check()
    await until(lambda: _names_are(page, set(MISSING)), "only clients with missing receipts")
    assert query(page).get("missing_receipts") in {"1", "true"}


async def test_sort_both_ways_and_by_missing_receipts(page, world):
    await sign_in(page, world, world.admin)
    await page.goto(f"{world.url}/clients?tab=all")
    sort = page.get_by_role("combobox", name="Sort by")
    await sort.select_option(label="Name (Z–A)")
    await until(lambda: _first_is(page, "Zeilmakerij Zuid V.O.F."), "Z–A first row")
    assert query(page).get("sort") == "name_desc"
    await sort.select_option(label="Name (A–Z)")
    await until(lambda: _first_is(page, "Aardappelhandel Abel B.V."), "A–Z first row")
    await sort.select_option(label="Most missing receipts")
    await until(lambda: _first_is(page, "Bakkerij Bos"), "most missing receipts first")
    assert (await listed(page, KNOWN))[:3] == sorted(MISSING, key=MISSING.get, reverse=True)


async def _first_is(page, name: str) -> bool:
    names = await listed(page, KNOWN)
    return bool(names) and names[0] == name


async def test_load_more_to_the_end_without_duplicates(page, world):
    await sign_in(page, world, world.admin)
    tabs = {t["tab"]: t["count"] for t in await world.api(world.admin, "/v1/clients/tabs")}
    await page.goto(f"{world.url}/clients?tab=all")
    more = page.get_by_role("button", name="Load more")
    clicks = 0
    while await more.count():
        before = await rows(page).count()
        await more.click()
        clicks += 1
        await until(lambda: _grew(page, before), "Load more added rows")
        assert clicks < 20
    names = await listed(page, KNOWN)
    assert clicks >= 1, "130 clients fit on one page: Load more never shown"
    assert len(names) == len(set(names)), "a client listed twice"
    assert len(names) == tabs["all"]
    assert set(FILLER_NAMES) <= set(names)


async def _grew(page, before: int) -> bool:
    return await rows(page).count() > before


async def test_invitation_accept_makes_the_client_active(page, world):
    await sign_in(page, world, world.admin)
    await page.goto(f"{world.url}/clients?tab=invitations")
    row = page.get_by_role("row", name=re.compile(re.escape(INVITED)))
    await row.get_by_role("button", name="Accept").click()
    await until(lambda: _in_all(world), "the accepted client under All")
    await page.goto(f"{world.url}/clients?tab=all&q=Ulrich")
    await until(lambda: _names_are(page, {INVITED}), "accepted client listed under All")


async def _in_all(world) -> bool:
    page = await world.api(world.admin, "/v1/clients", tab="all", q="Ulrich")
    return [i["id"] for i in page["items"]] == [world.invited_id]


async def test_go_to_client_lands_in_the_client_account_stand_in(page, world):
    await sign_in(page, world, world.daan)
    await page.goto(f"{world.url}/clients?tab=my")
    await page.get_by_role("button", name="Meer acties voor Café Noir B.V.").click()
    async with page.expect_navigation(url=re.compile(r"/client-account")):
        await page.get_by_role("menuitem", name="Naar cliënt").click()
    assert urlsplit(page.url).path.startswith("/client-account")
    body = page.locator("body")
    await expect(body).to_contain_text("Café Noir B.V.")
    await expect(body).to_contain_text(world.daan.name)


async def test_view_details_opens_the_clients_page(page, world):
    await sign_in(page, world, world.admin)
    await page.goto(f"{world.url}/clients?tab=all&q=garage")
    await page.get_by_role("button", name="More actions for Garage Groen").click()
    await page.get_by_role("menuitem", name="View details").click()
    await expect(page.get_by_role("heading", level=1, name="Garage Groen")).to_be_visible()
    assert urlsplit(page.url).path == f"/clients/{world.clients['Garage Groen']}"
