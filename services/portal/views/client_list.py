"""The Clients page's state, as the URL writes it and as the API is asked for it (pure).

The URL is the page's memory (`/clients?tab=all&q=cafe&missing_receipts=1&sort=name_desc`),
so a reload, the back button and a shared link show the same list. Defaults are left out
of the URL; values the page does not know fall back to the default instead of failing.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from urllib.parse import urlencode

TAB_ORDER = ("invitations", "onboarding", "my", "all")
DEFAULT_TAB = "my"
# URL sort value -> the API's (sort, order), and the wording key of its option.
SORTS = {
    "name_asc": ("name", "asc", "sort_name_asc"),
    "name_desc": ("name", "desc", "sort_name_desc"),
    "missing_receipts": ("missing_receipts", "desc", "sort_missing_receipts"),
    "ready_for_export": ("ready_for_export", "desc", "sort_ready_for_export"),
}
DEFAULT_SORT = "name_asc"
MAX_QUERY = 200
TRUE = {"1", "true", "on", "yes"}


@dataclass(frozen=True, slots=True)
class ListState:
    """What the list shows: tab, search, filters, sort."""

    tab: str = DEFAULT_TAB
    q: str = ""
    missing_receipts: bool = False
    assignee: str = ""
    sort: str = DEFAULT_SORT

    @classmethod
    def from_query(cls, query: Mapping[str, str], *, tabs: Sequence[str] = TAB_ORDER,
                   is_admin: bool = False) -> "ListState":
        """The state a URL's query asks for, limited to the `tabs` this reader has."""
        tab = query.get("tab", "")
        if tab not in tabs:
            tab = DEFAULT_TAB if DEFAULT_TAB in tabs or not tabs else tabs[0]
        sort = query.get("sort", "")
        return cls(tab=tab, q=" ".join(query.get("q", "").split())[:MAX_QUERY],
                   missing_receipts=query.get("missing_receipts", "").lower() in TRUE,
                   assignee=query.get("assignee", "").strip() if is_admin else "",
                   sort=sort if sort in SORTS else DEFAULT_SORT)

    @property
    def is_filtered(self) -> bool:
        return bool(self.q or self.missing_receipts or self.assignee)

    def query(self) -> dict[str, str]:
        """The URL's query: only what differs from the defaults."""
        params = {"tab": self.tab}
        if self.q:
            params["q"] = self.q
        if self.missing_receipts:
            params["missing_receipts"] = "1"
        if self.assignee:
            params["assignee"] = self.assignee
        if self.sort != DEFAULT_SORT:
            params["sort"] = self.sort
        return params

    def url(self, path: str = "/clients", **changes: object) -> str:
        """The URL of this state, or of it with `changes` (e.g. `tab="all"`)."""
        state = replace(self, **changes) if changes else self
        return f"{path}?{urlencode(state.query())}"

    def api_params(self, *, limit: int, cursor: str | None = None) -> dict[str, str | int]:
        """The query of GET /v1/clients for this state."""
        sort, order, _ = SORTS[self.sort]
        params: dict[str, str | int] = {"tab": self.tab, "sort": sort, "order": order,
                                        "limit": limit}
        if self.q:
            params["q"] = self.q
        if self.missing_receipts:
            params["missing_receipts"] = "true"
        if self.assignee:
            params["assignee"] = self.assignee
        if cursor:
            params["cursor"] = cursor
        return params


def shown_tabs(api_tabs: Sequence[Mapping]) -> list[tuple[str, int]]:
    """(tab, count) of the tabs the API returned, in the page's order; unknown ones dropped."""
    counts = {t["tab"]: int(t["count"]) for t in api_tabs}
    return [(tab, counts[tab]) for tab in TAB_ORDER if tab in counts]


def tab_label(words: Mapping[str, str], tab: str, count_text: str) -> str:
    """The tab's accessible name: "My clients 12" / "Mijn cliënten 12"."""
    return f"{words['tab_' + tab]} {count_text}"
