"""Screenshots of the running demo (`make up`) for the README, into docs/screenshots/.

Desktop (1440 px) and phone (375 px), English and Dutch: the Clients page, and a client's
details page with the "Notify bookkeepers" dialog open. Signs in through /dev/sign-in by
the buttons' accessible names, as a person would. The demo has no Dutch admin, so this adds
one to the demo firm through the internal API the first time (Pieter Bakker, nl).

Run: .venv/bin/python -m tests.e2e.screenshots [--portal http://127.0.0.1:8000]
"""

import argparse
import asyncio
import json
import sys
from pathlib import Path

import httpx
from playwright.async_api import async_playwright

from shared.settings import Settings
from tests.e2e.browser import launch

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "docs" / "screenshots"
DEMO = ROOT / ".run" / "demo" / "demo.json"
CLIENTS_API = "http://127.0.0.1:8001"
DUTCH_ADMIN = {"email": "pieter.bakker@vandijk-accountants.example", "name": "Pieter Bakker",
               "role": "admin", "locale": "nl"}
CLIENT = "Café Noir B.V."
# Who is shown per language: the Clients page as a bookkeeper sees it in Dutch, the details
# page with the admin-only reminder dialog.
PEOPLE = {"en": {"list": "Eva Jansen", "details": "Eva Jansen"},
          "nl": {"list": "Daan de Vries", "details": DUTCH_ADMIN["name"]}}
WORDS = {"en": {"more": f"More actions for {CLIENT}", "details": "View details",
                "notify": "Notify bookkeepers", "search": "Search clients"},
         "nl": {"more": f"Meer acties voor {CLIENT}", "details": "Details bekijken",
                "notify": "Boekhouders informeren", "search": "Cliënten zoeken"}}
SIZES = {"1440": {"width": 1440, "height": 900}, "375": {"width": 375, "height": 812}}


async def ensure_dutch_admin() -> None:
    """Add the Dutch admin to the demo firm (409 when a former run already did)."""
    firm_id = json.loads(DEMO.read_text())["firm_id"]
    internal = {"Authorization": f"Bearer {Settings().internal_api_token}"}
    async with httpx.AsyncClient(base_url=CLIENTS_API, timeout=10) as http:
        answer = await http.post(f"/internal/v1/firms/{firm_id}/staff", headers=internal,
                                 json=DUTCH_ADMIN)
        if answer.status_code not in (201, 409):
            raise RuntimeError(f"adding the Dutch admin: {answer.status_code} {answer.text}")


async def sign_in(page, portal: str, name: str) -> None:
    await page.goto(f"{portal}/dev/sign-in")
    async with page.expect_navigation():
        await page.get_by_role("button", name=f"Sign in as {name}").click()


async def shoot(browser, portal: str, lang: str, size: str) -> list[Path]:
    words, made = WORDS[lang], []
    context = await browser.new_context(viewport=SIZES[size], locale=lang)
    context.set_default_timeout(10_000)
    try:
        page = await context.new_page()
        await sign_in(page, portal, PEOPLE[lang]["list"])
        await page.goto(f"{portal}/clients?tab=all" if lang == "en" else f"{portal}/clients")
        await page.get_by_role("table").wait_for()
        made.append(OUT / f"clients-{lang}-{size}.png")
        await page.screenshot(path=made[-1])

        await context.clear_cookies()
        await sign_in(page, portal, PEOPLE[lang]["details"])
        await page.goto(f"{portal}/clients?tab=all&q=noir")
        await page.get_by_role("button", name=words["more"]).click()
        await page.get_by_role("menuitem", name=words["details"]).click()
        await page.get_by_role("heading", level=1, name=CLIENT).wait_for()
        made.append(OUT / f"details-{lang}-{size}.png")
        await page.screenshot(path=made[-1], full_page=True)
        await page.get_by_role("button", name=words["notify"]).click()
        await page.get_by_role("dialog").wait_for()
        made.append(OUT / f"reminder-{lang}-{size}.png")
        await page.screenshot(path=made[-1])
    finally:
        await context.close()
    return made


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--portal", default="http://127.0.0.1:8000")
    args = parser.parse_args()
    if not DEMO.exists():
        sys.exit("no demo: run `make up` first")
    await ensure_dutch_admin()
    OUT.mkdir(parents=True, exist_ok=True)
    async with async_playwright() as playwright:
        browser = await launch(playwright)
        try:
            for lang in ("en", "nl"):
                for size in SIZES:
                    for path in await shoot(browser, args.portal, lang, size):
                        print(path.relative_to(ROOT))
        finally:
            await browser.close()


if __name__ == "__main__":
    asyncio.run(main())
