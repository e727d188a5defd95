"""The rows of the Clients page as they are shown: every text worked out once, in Python (pure).

The row template only places these strings: a Jinja filter or method call per cell, and
a failed attribute lookup on every `c.name` of a dict, cost more than the rest of the page.
Every text is escaped here, once (the id is printed five times a row), and the row template
places them without escaping again: ~800 `escape` calls a page were its largest cost.
"""

from collections.abc import Iterable, Mapping
from typing import NamedTuple

from markupsafe import Markup, escape

from shared.formatting import format_money, format_number

BADGES = {"onboarding": "state_onboarding", "invitation_pending": "state_invitation"}


class ClientRow(NamedTuple):
    """One client of the list, in the reader's language and locale, every text already
    HTML-escaped (Markup).

    A named tuple: immutable, and half the cost of building a frozen dataclass per row."""

    id: Markup
    name: Markup
    badge: Markup  # the link state's badge ("" for an active client)
    sub: Markup  # "12345678 · NL"
    assignees: Markup  # "Anna Jansen, Piet de Vries" ("" when unassigned)
    missing_receipts: Markup
    attention: bool  # receipts are missing
    ready_for_export: Markup
    wallet_balance: Markup
    invitation: bool  # Accept/Decline instead of the menu
    may_go_to: bool  # "Go to client" in the menu (active links only)
    menu_label: Markup  # the three dots' accessible name


def client_rows(items: Iterable[Mapping], words: Mapping[str, str],
                locale: str) -> list[ClientRow]:
    """The API's list items as rows for `words`' language and `locale`'s figures."""
    return [_row(item, words, locale) for item in items]


def _row(item: Mapping, words: Mapping[str, str], locale: str) -> ClientRow:
    state, name = item["link_state"], item["name"]
    country, balance = item.get("country"), item.get("wallet_balance")
    badge = BADGES.get(state)
    return ClientRow(
        id=escape(item["id"]), name=escape(name), badge=escape(words[badge]) if badge else _EMPTY,
        sub=escape(f"{item['registration_number']} · {country}" if country
                   else item["registration_number"]),
        assignees=escape(", ".join(a["name"] for a in item.get("assignees") or ())),
        missing_receipts=_number(item.get("missing_receipts"), locale),
        attention=bool(item.get("missing_receipts")),
        ready_for_export=_number(item.get("ready_for_export"), locale),
        wallet_balance=escape(format_money(balance["amount_minor"], balance["currency"], locale)
                              if balance else words["balance_unknown"]),
        invitation=state == "invitation_pending", may_go_to=state == "active",
        menu_label=escape(words["more_actions"].format(name=name)))


_EMPTY = Markup("")


def _number(value: int | None, locale: str) -> Markup:
    """A whole number's digits and separators: nothing in it to escape."""
    return _EMPTY if value is None else Markup(format_number(int(value), locale))
