"""The rows of the Clients page as they are shown: every text worked out once, in Python (pure).

The row template only places these strings: a Jinja filter or method call per cell, and
a failed attribute lookup on every `c.name` of a dict, cost more than the rest of the page.
"""

from collections.abc import Iterable, Mapping
from typing import NamedTuple

from shared.formatting import format_money, format_number

BADGES = {"onboarding": "state_onboarding", "invitation_pending": "state_invitation"}


class ClientRow(NamedTuple):
    """One client of the list, in the reader's language and locale (escaped by the template).

    A named tuple: immutable, and half the cost of building a frozen dataclass per row."""

    id: str
    name: str
    badge: str  # the link state's badge ("" for an active client)
    sub: str  # "12345678 · NL"
    assignees: str  # "Anna Jansen, Piet de Vries" ("" when unassigned)
    missing_receipts: str
    attention: bool  # receipts are missing
    ready_for_export: str
    wallet_balance: str
    invitation: bool  # Accept/Decline instead of the menu
    may_go_to: bool  # "Go to client" in the menu (active links only)
    menu_label: str  # the three dots' accessible name


def client_rows(items: Iterable[Mapping], words: Mapping[str, str],
                locale: str) -> list[ClientRow]:
    """The API's list items as rows for `words`' language and `locale`'s figures."""
    return [_row(item, words, locale) for item in items]


def _row(item: Mapping, words: Mapping[str, str], locale: str) -> ClientRow:
    state, name = item["link_state"], item["name"]
    country, balance = item.get("country"), item.get("wallet_balance")
    badge = BADGES.get(state)
    return ClientRow(
        id=str(item["id"]), name=name, badge=words[badge] if badge else "",
        sub=f"{item['registration_number']} · {country}" if country
        else item["registration_number"],
        assignees=", ".join(a["name"] for a in item.get("assignees") or ()),
        missing_receipts=_number(item.get("missing_receipts"), locale),
        attention=bool(item.get("missing_receipts")),
        ready_for_export=_number(item.get("ready_for_export"), locale),
        wallet_balance=format_money(balance["amount_minor"], balance["currency"], locale)
        if balance else words["balance_unknown"],
        invitation=state == "invitation_pending", may_go_to=state == "active",
        menu_label=words["more_actions"].format(name=name))


def _number(value: int | None, locale: str) -> str:
    return "" if value is None else format_number(value, locale)
