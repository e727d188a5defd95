"""375 px wide (a phone): no page scrolls sideways, in English and Dutch."""

import pytest
from playwright.async_api import expect

from tests.e2e.portal.conftest import sign_in

pytestmark = pytest.mark.e2e


async def _scroll_width(page) -> int:
    return await page.evaluate("document.documentElement.scrollWidth")


@pytest.mark.parametrize("who", ["admin", "daan"])
async def test_no_horizontal_scroll_at_375_px(browser, world, who):
    person = getattr(world, who)
    context = await browser.new_context(viewport={"width": 375, "height": 812})
    try:
        page = await context.new_page()
        await sign_in(page, world, person)
        await page.goto(f"{world.url}/clients?tab={'all' if who == 'admin' else 'my'}")
        await expect(page.get_by_role("table")).to_be_visible()
        assert await _scroll_width(page) <= 375, "the Clients page scrolls sideways"
        await page.goto(f"{world.url}/clients/{world.clients['Bakkerij Bos']}")
        await expect(page.get_by_role("heading", level=1, name="Bakkerij Bos")).to_be_visible()
        assert await _scroll_width(page) <= 375, "the details page scrolls sideways"
        if who == "admin":
            await page.get_by_role("button", name="Notify bookkeepers").click()
            await expect(page.get_by_role("dialog")).to_be_visible()
            assert await _scroll_width(page) <= 375, "the reminder dialog scrolls sideways"
    finally:
        await context.close()
