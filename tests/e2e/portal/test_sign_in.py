"""Sessions in a real browser: sign in per role and language, no session, forged tokens."""

import re
import uuid
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest
from playwright.async_api import expect

from shared.settings import Settings
from shared.tokens import mint_staff_token
from tests.e2e.portal.conftest import sign_in

pytestmark = pytest.mark.e2e


async def test_admin_signs_in_and_lands_on_the_clients_page(page, world):
    await sign_in(page, world, world.admin)
    assert urlsplit(page.url).path == "/clients"
    await expect(page.get_by_role("searchbox", name="Search clients")).to_be_visible()
    await expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    await expect(page.get_by_role("button", name="Invite a client")).to_be_visible()


async def test_dutch_bookkeeper_gets_the_page_in_dutch(page, world):
    await sign_in(page, world, world.daan)
    await expect(page.get_by_role("searchbox", name="Cliënten zoeken")).to_be_visible()
    await expect(page.get_by_role("button", name="Afmelden")).to_be_visible()
    await expect(page.get_by_role("columnheader", name="Ontbrekende bonnen")).to_be_visible()
    # Not an admin: no portal invite.
    await expect(page.get_by_role("button", name="Cliënt uitnodigen")).to_have_count(0)


async def test_without_a_session_every_page_redirects_to_sign_in(page, world):
    for path in ("/clients", f"/clients/{world.clients['Bakkerij Bos']}", "/clients?tab=all"):
        response = await page.goto(f"{world.url}{path}")
        assert response.request.redirected_from is not None, f"{path} was not redirected"
        assert urlsplit(page.url).path != urlsplit(path).path
        await expect(page.get_by_role("heading", level=1, name="Sign in")).to_be_visible()
        await expect(page.get_by_role("table")).to_have_count(0)


@pytest.mark.parametrize("kind", ["forged", "expired"])
async def test_a_forged_or_expired_token_gets_no_session(page, context, world, kind):
    if kind == "forged":
        keys = Settings(app_env="test", auth_jwt_secret="not-the-portal-secret-" + "x" * 20)
        token = mint_staff_token(uuid.UUID(world.admin.id), keys.staff_keys)
    else:
        token = mint_staff_token(uuid.UUID(world.admin.id), world.stack.settings.staff_keys,
                                 now=datetime.now(UTC) - timedelta(hours=13))
    await sign_in(page, world, world.admin, token=token)
    assert urlsplit(page.url).path != "/clients"
    # The sign-in page again, saying why.
    await expect(page.get_by_role("alert")).to_be_visible()
    await expect(page.get_by_role("heading", level=1, name="Sign in")).to_be_visible()
    await expect(page.get_by_role("table")).to_have_count(0)
    assert [c for c in await context.cookies(world.url)] == []
    await page.goto(f"{world.url}/clients")
    assert urlsplit(page.url).path != "/clients"


async def test_dev_sign_in_lists_staff_with_a_button_each(page, world):
    await page.goto(f"{world.url}/dev/sign-in")
    async with page.expect_navigation():
        await page.get_by_role("button", name=f"Sign in as {world.daan.name}").click()
    assert urlsplit(page.url).path == "/clients"
    await expect(page.get_by_role("button", name="Afmelden")).to_be_visible()


async def test_sign_out_ends_the_session(page, world):
    await sign_in(page, world, world.admin)
    async with page.expect_navigation():
        await page.get_by_role("button", name="Sign out").click()
    await page.goto(f"{world.url}/clients")
    assert urlsplit(page.url).path != "/clients"
    await expect(page.get_by_role("searchbox", name=re.compile("Search clients"))).to_have_count(0)
