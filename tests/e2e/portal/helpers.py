"""Reading the Clients page by role and accessible name (PORTAL.md's names, en and nl)."""

import asyncio
import re

from playwright.async_api import Page

TAB_LABELS = {"en": {"invitations": "Invitations", "onboarding": "Onboarding",
                     "my": "My clients", "all": "All"},
              "nl": {"invitations": "Uitnodigingen", "onboarding": "Onboarding",
                     "my": "Mijn cliënten", "all": "Alle"}}


def rows(page: Page):
    """The list's body rows (the header row holds column headers, not a client)."""
    return page.get_by_role("table").get_by_role("row").filter(
        has_not=page.get_by_role("columnheader"))


async def listed(page: Page, known: list[str]) -> list[str]:
    """The client names of the rows, in order; every row must name exactly one known client."""
    texts = await rows(page).all_inner_texts()
    names = []
    for text in texts:
        found = [n for n in known if n in text]
        assert len(found) == 1, f"row {text!r} names {found}"
        names.append(found[0])
    return names


async def until(check, what: str, timeout: float = 10.0):
    """Poll the async `check` until it returns something truthy."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not (result := await check()):
        assert asyncio.get_running_loop().time() < deadline, f"timed out: {what}"
        await asyncio.sleep(0.1)
    return result


def exactly(text: str) -> re.Pattern:
    return re.compile(rf"^\s*{re.escape(text)}\s*$")
