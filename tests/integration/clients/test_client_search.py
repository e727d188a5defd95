"""Search in two tiers: word starts first, then matches inside words (PRODUCT 3)."""

import pytest

from tests.integration.clients.test_client_list import names, walk

NAMES = [("Bergen Bakkerij", "NL-1001"), ("Åberg Optics", "DK 2002"),
         ("van den Berg B.V.", "NL-3003"), ("Zilverberg", "SE-4004"),
         ("Café Berlin", "NL-5005"), ("Noord Bergsma", "BE-6006"), ("Other", "NL-7007")]


@pytest.fixture
async def berg_firm(world):
    firm = await world.firm()
    admin = await world.staff(firm, "admin")
    keeper = await world.staff(firm)
    for name, reg in NAMES:
        await world.assign(admin, await world.client(firm, name=name, reg=reg), keeper)
    return firm, admin, keeper


async def test_word_starts_come_first_then_inner_matches_each_in_name_order(api, berg_firm):
    _, admin, keeper = berg_firm
    starts = ["Bergen Bakkerij", "Café Berlin", "Noord Bergsma", "van den Berg B.V."]
    inner = ["Åberg Optics", "Zilverberg"]
    assert await names(api, admin, q="BER") == starts + inner
    assert await names(api, admin, q="ber", order="desc") == starts[::-1] + inner[::-1]
    assert await names(api, keeper, tab="my", q="ber") == starts + inner
    by_figure = await names(api, admin, q="berg", sort="ready_for_export")  # ties: by id
    assert set(by_figure[:3]) == {"Bergen Bakkerij", "Noord Bergsma", "van den Berg B.V."}
    assert set(by_figure[3:]) == set(inner)


async def test_accents_case_and_registration_numbers_are_found_in_both_tiers(api, berg_firm):
    _, admin, _ = berg_firm
    assert await names(api, admin, q="abe") == ["Åberg Optics"]
    assert await names(api, admin, q="CAFE B") == ["Café Berlin"]
    assert await names(api, admin, q="dk 2") == ["Åberg Optics"]
    assert await names(api, admin, q="6006") == ["Noord Bergsma"]
    assert await names(api, admin, q="lverb") == ["Zilverberg"]


async def test_two_letters_are_one_tier_in_name_order(api, berg_firm):
    _, admin, _ = berg_firm
    assert await names(api, admin, q="er") == [
        "Åberg Optics", "Bergen Bakkerij", "Café Berlin", "Noord Bergsma", "Other",
        "van den Berg B.V.", "Zilverberg"]


@pytest.mark.parametrize("limit", [1, 2, 3, 4, 5])
async def test_search_pages_cross_tiers_without_duplicates_or_gaps(api, berg_firm, limit):
    _, admin, keeper = berg_firm
    expected = await names(api, admin, q="ber")
    for order in ("asc", "desc"):
        got = [i["name"] for i in await walk(api, admin, limit, q="ber", order=order)]
        assert got == (expected if order == "asc" else
                       expected[:4][::-1] + expected[4:][::-1])
    mine = [i["name"] for i in await walk(api, keeper, limit, tab="my", q="ber")]
    assert mine == expected


async def test_a_search_stays_within_the_firm(api, world, berg_firm):
    other = await world.firm()
    await world.client(other, name="Bergamo Foods")
    await world.client(other, name="Iceberg Trading")
    _, admin, _ = berg_firm
    found = await names(api, admin, q="ber")
    assert "Bergamo Foods" not in found and "Iceberg Trading" not in found
