"""The rows of the Clients page as they are shown: every text worked out once, in Python (pure).

The row template only places these strings: a Jinja filter or method call per cell, and
a failed attribute lookup on every `c.name` of a dict, cost more than the rest of the page.
Every text is escaped here, once (the id is printed five times a row), and the row template
places them without escaping again: ~800 `escape` calls a page were its largest cost.
"""

from collections.abc import Iterable, Mapping
from typing import NamedTuple

from markupsafe import escape

from shared.formatting import format_money, format_number

BADGES = {"onboarding": "state_onboarding", "invitation_pending": "state_invitation"}


class ClientRow(NamedTuple):
    """One client of the list, in the reader's language and locale, every text already
    HTML-escaped (the row template does not escape again).

    A named tuple: immutable, and half the cost of building a frozen dataclass per row."""

    # The texts, escaped together (see _escaped); their order is _texts' order.
    id: str
    name: str
    badge: str  # the link state's badge ("" for an active client)
    sub: str  # "12345678 · NL"
    assignees: str  # "Anna Jansen, Piet de Vries" ("" when unassigned)
    wallet_balance: str
    menu_label: str  # the three dots' accessible name
    # Figures (digits and separators: nothing to escape) and flags.
    missing_receipts: str
    ready_for_export: str
    attention: bool  # receipts are missing
    invitation: bool  # Accept/Decline instead of the menu
    may_go_to: bool  # "Go to client" in the menu (active links only)


TEXTS = 7  # the first fields of ClientRow


def client_rows(items: Iterable[Mapping], words: Mapping[str, str],
                locale: str) -> list[ClientRow]:
    """The API's list items as rows for `words`' language and `locale`'s figures."""
    items = list(items)
    texts = _escaped([text for item in items for text in _texts(item, words, locale)])
    return [ClientRow(*texts[n * TEXTS:(n + 1) * TEXTS], *_figures(item, locale))
            for n, item in enumerate(items)]


def _texts(item: Mapping, words: Mapping[str, str], locale: str) -> tuple[str, ...]:
    """A row's texts as written, in ClientRow's order."""
    name, country = item["name"], item.get("country")
    badge, balance = BADGES.get(item["link_state"]), item.get("wallet_balance")
    return (str(item["id"]), name, words[badge] if badge else "",
            f"{item['registration_number']} · {country}" if country
            else item["registration_number"],
            ", ".join(a["name"] for a in item.get("assignees") or ()),
            format_money(balance["amount_minor"], balance["currency"], locale)
            if balance else words["balance_unknown"],
            words["more_actions"].format(name=name))


def _figures(item: Mapping, locale: str) -> tuple:
    """A row's figures and flags, in ClientRow's order after the texts."""
    state, missing = item["link_state"], item.get("missing_receipts")
    return (_number(missing, locale), _number(item.get("ready_for_export"), locale),
            bool(missing), state == "invitation_pending", state == "active")


def _escaped(texts: list[str]) -> list[str]:
    """Every text HTML-escaped as Jinja would, in one call for the whole page (each call
    costs more than the escaping itself: ~350 a page); one by one if a text holds the
    separator."""
    joined = "\0".join(texts)
    if joined.count("\0") != len(texts) - 1:
        return [str(escape(text)) for text in texts]
    return str(escape(joined)).split("\0")


def _number(value: int | None, locale: str) -> str:
    """A whole number's digits and separators: nothing in it to escape."""
    return "" if value is None else format_number(int(value), locale)
