"""The client list: search, filters, sort, keyset pages walked to the end (PRODUCT 3)."""

import base64
import uuid

import pytest

from services.clients.db import SESSION_SETTINGS
from services.clients.db.listing import read_page
from services.clients.domain.listing import ListRequest, plan_list
from services.clients.domain.visibility import Caller
from shared.db.pool import create_pool
from tests.integration.http_errors import assert_error


async def names(api, staff, **params) -> list[str]:
    r = await api.get("/v1/clients", params={"tab": "all", "limit": 200, **params},
                      headers=staff.headers)
    assert r.status_code == 200, r.text
    return [i["name"] for i in r.json()["items"]]


async def walk(api, staff, limit: int, **params) -> list[dict]:
    """Every item of a list, page by page."""
    items, cursor = [], None
    for _ in range(1000):
        query = {"tab": "all", "limit": limit, **params, **({"cursor": cursor} if cursor else {})}
        r = await api.get("/v1/clients", params=query, headers=staff.headers)
        assert r.status_code == 200, r.text
        body = r.json()
        assert len(body["items"]) <= limit
        items += body["items"]
        cursor = body["next_cursor"]
        if cursor is None:
            return items
    raise AssertionError("the cursor never ended")


@pytest.fixture
async def cafe_firm(world):
    firm = await world.firm()
    admin = await world.staff(firm, "admin")
    for name, reg in [("Café Noir B.V.", "NL-8812.34"), ("cafe bleu", "DK 4411"),
                      ("Ångström Optics", "SE-0001"), ("Zeta Zonwering", "NL-7777"),
                      ("apple & pear", "X_%1"), ("Bakkerij Ødegaard", "DK-5555")]:
        await world.client(firm, name=name, reg=reg)
    return firm, admin


async def test_search_ignores_case_and_accents_in_names(api, cafe_firm):
    _, admin = cafe_firm
    assert sorted(await names(api, admin, q="cafe")) == ["Café Noir B.V.", "cafe bleu"]
    assert await names(api, admin, q="NOIR") == ["Café Noir B.V."]
    assert await names(api, admin, q="CAFÉ N") == ["Café Noir B.V."]
    assert await names(api, admin, q="angstrom") == ["Ångström Optics"]
    assert await names(api, admin, q="odegaard") == ["Bakkerij Ødegaard"]


async def test_search_finds_registration_numbers_and_takes_wildcards_literally(api, cafe_firm):
    _, admin = cafe_firm
    assert await names(api, admin, q="8812") == ["Café Noir B.V."]
    assert await names(api, admin, q="dk 4411") == ["cafe bleu"]
    assert await names(api, admin, q="x_%") == ["apple & pear"]
    assert await names(api, admin, q="%%") == []
    assert await names(api, admin, q="_") == ["apple & pear"]
    assert await names(api, admin, q="zz") == []
    assert len(await names(api, admin, q="   ")) == 6


async def test_search_never_finds_another_firms_clients(api, world, cafe_firm):
    other = await world.firm()
    await world.client(other, name="Café Noir Kopenhagen")
    _, admin = cafe_firm
    assert "Café Noir Kopenhagen" not in await names(api, admin, q="noir")


async def test_name_sort_is_human_alphabetical_both_ways(api, cafe_firm):
    _, admin = cafe_firm
    expected = ["Ångström Optics", "apple & pear", "Bakkerij Ødegaard", "cafe bleu",
                "Café Noir B.V.", "Zeta Zonwering"]
    assert await names(api, admin) == expected
    assert await names(api, admin, order="desc") == expected[::-1]


async def test_pages_of_equal_names_have_no_duplicate_and_no_gap(api, world):
    firm = await world.firm()
    admin = await world.staff(firm, "admin")
    ids = {str(await world.client(firm, name=n)) for n in
           ["Same"] * 7 + ["same"] * 3 + ["Sáme"] * 2 + ["Other"] * 3}
    for order in ("asc", "desc"):
        for limit in (1, 2, 4):
            items = await walk(api, admin, limit, order=order)
            assert [i["id"] for i in items].__len__() == len(ids)
            assert {i["id"] for i in items} == ids
            keys = [(i["name"].lower().replace("á", "a"), i["id"]) for i in items]
            assert keys == sorted(keys, reverse=order == "desc")


async def test_sort_by_figures_puts_most_work_first_and_pages_through_ties(api, world):
    firm = await world.firm()
    admin = await world.staff(firm, "admin")
    figures = {"A": (3, 0), "B": (0, 2), "C": (3, 1), "D": (1, 5), "E": (0, 0), "F": (3, 0)}
    ids = {}
    for name, (missing, ready) in figures.items():
        ids[name] = await world.client(firm, name=name)
        await world.figures(ids[name], missing=missing, ready=ready)
    items = await walk(api, admin, 2, sort="missing_receipts")
    assert [i["missing_receipts"] for i in items] == [3, 3, 3, 1, 0, 0]
    assert len({i["id"] for i in items}) == 6
    items = await walk(api, admin, 2, sort="ready_for_export")
    assert [i["name"] for i in items][:3] == ["D", "B", "C"]
    asc = await walk(api, admin, 4, sort="missing_receipts", order="asc")
    assert [i["missing_receipts"] for i in asc] == [0, 0, 1, 3, 3, 3]


async def test_missing_receipts_filter_keeps_only_clients_with_missing_receipts(api, world):
    firm = await world.firm()
    admin = await world.staff(firm, "admin")
    for name, missing in [("A", 2), ("B", 0), ("C", 1)]:
        await world.figures(await world.client(firm, name=name), missing=missing, ready=1)
    assert await names(api, admin, missing_receipts="true") == ["A", "C"]
    assert await names(api, admin, missing_receipts="false") == ["A", "B", "C"]
    assert await names(api, admin, missing_receipts="true", sort="missing_receipts") == ["A", "C"]
    assert await names(api, admin, missing_receipts="true", q="c") == ["C"]


async def test_assignee_filter_lists_one_bookkeepers_clients(api, world):
    firm = await world.firm()
    admin = await world.staff(firm, "admin")
    ann, bob = await world.staff(firm), await world.staff(firm)
    for name, who in [("A", [ann]), ("B", [bob]), ("C", [ann, bob]), ("D", [])]:
        await world.assign(admin, await world.client(firm, name=name), *who)
    assert await names(api, admin, assignee=str(ann.id)) == ["A", "C"]
    r = await api.get("/v1/clients", params={"assignee": str(bob.id)}, headers=admin.headers)
    assert [i["name"] for i in r.json()["items"]] == ["B", "C"]
    assert await names(api, ann, tab="my") == ["A", "C"]
    assert_error(await api.get("/v1/clients", params={"assignee": str(bob.id)},
                               headers=ann.headers), 403)


async def test_list_items_carry_the_documented_fields(api, world):
    firm = await world.firm()
    admin = await world.staff(firm, "admin")
    keeper = await world.staff(firm, name="Bea Bookkeeper")
    client = await world.client(firm, name="Fields B.V.", reg="NL42")
    await world.assign(admin, client, keeper)
    await world.figures(client, missing=2, ready=1, balance=123456)
    [item] = (await api.get("/v1/clients", params={"tab": "all"},
                            headers=admin.headers)).json()["items"]
    assert item["id"] == str(client) and item["registration_number"] == "NL42"
    assert item["link_state"] == "active" and item["tab"] == "all"
    assert item["assignees"] == [{"id": str(keeper.id), "name": "Bea Bookkeeper",
                                  "role": "bookkeeper"}]
    assert (item["missing_receipts"], item["ready_for_export"]) == (2, 1)
    assert item["wallet_balance"] == {"amount_minor": 123456, "currency": "EUR"}
    assert item["tasks_updated_at"].endswith("Z")
    assert item["notifications"] == {"email": False, "frequency": "weekly",
                                     "first_digest_at": None}
    detail = (await api.get(f"/v1/clients/{client}", headers=keeper.headers)).json()
    assert detail["tab"] == "my" and detail["assignees"] == item["assignees"]


@pytest.mark.parametrize("params", [
    {"limit": 0}, {"limit": 201}, {"limit": "ten"}, {"sort": "size"}, {"order": "up"},
    {"tab": "archive"}, {"missing_receipts": "maybe"}, {"assignee": "nobody"},
    {"q": "x" * 101},
])
async def test_bad_list_parameters_are_4xx_json(api, world, params):
    firm = await world.firm()
    admin = await world.staff(firm, "admin")
    assert_error(await api.get("/v1/clients", params={"tab": "all", **params},
                               headers=admin.headers), 422)


async def test_garbage_tampered_and_foreign_cursors_are_400(api, world):
    firm = await world.firm()
    admin = await world.staff(firm, "admin")
    for n in range(3):
        await world.client(firm, name=f"C{n}")
    body = (await api.get("/v1/clients", params={"tab": "all", "limit": 1},
                          headers=admin.headers)).json()
    cursor = body["next_cursor"]
    payload, signature = cursor.split(".")
    tampered = base64.urlsafe_b64decode(payload + "==").replace(b'"v":"c', b'"v":"a')
    forged = base64.urlsafe_b64encode(tampered).rstrip(b"=").decode()
    for bad in ("garbage", "a.b", "....", f"{forged}.{signature}", cursor[:-2] + "xx",
                "eyJ2IjoxfQ." + "A" * 24):
        err = assert_error(await api.get("/v1/clients", params={
            "tab": "all", "limit": 1, "cursor": bad}, headers=admin.headers), 400)
        assert err["code"] == "invalid_cursor"
    # a good cursor with other parameters is refused rather than paging another list
    for other in ({"order": "desc"}, {"sort": "missing_receipts"}, {"q": "c"},
                  {"missing_receipts": "true"}):
        assert_error(await api.get("/v1/clients", params={
            "tab": "all", "limit": 1, "cursor": cursor, **other}, headers=admin.headers), 400)
    ok = await api.get("/v1/clients", params={"tab": "all", "limit": 5, "cursor": cursor},
                       headers=admin.headers)
    assert [i["name"] for i in ok.json()["items"]] == ["C1", "C2"]


async def test_unknown_client_id_is_404_and_malformed_is_422(api, world):
    firm = await world.firm()
    admin = await world.staff(firm, "admin")
    assert_error(await api.get(f"/v1/clients/{uuid.uuid4()}", headers=admin.headers), 404)
    assert_error(await api.get("/v1/clients/not-a-uuid", headers=admin.headers), 422)


async def test_a_search_gives_its_connection_back_with_generic_plans(settings, cafe_firm):
    """The pool keeps session state between checkouts: the search's own plan mode must end."""
    firm_id, admin = cafe_firm
    caller = Caller(id=admin.id, firm_id=firm_id, role="admin", name="", email="", locale="en")
    secret = settings.auth_jwt_secret
    request = ListRequest(tab="all", q="noir", missing_receipts=False, assignee=None,
                          sort="name", order="asc", limit=10, cursor=None)
    pool = await create_pool(settings.database_url, max_size=1, server_settings=SESSION_SETTINGS)
    try:
        async with pool.acquire() as conn:
            row = await read_page(conn, plan_list(caller, request, secret))
        assert '"Café Noir B.V."' in row["items"] and '"cafe bleu"' not in row["items"]
        async with pool.acquire() as conn:
            assert await conn.fetchval("show plan_cache_mode") == "force_generic_plan"
    finally:
        await pool.close()
