"""Tab counts and the staff list, kept a few seconds per session (pure: no I/O).

Every Clients page asks for its list; the tab counts and the firm's staff (the Assigned-to
filter) change far more rarely than a person pages, searches and sorts, and asking for them
each time made the page wait for the slowest of three calls. So they are kept briefly, per
session, by firm: any change a staff member makes through the portal (accept, decline,
invite, assignees, ...) forgets everything kept for their firm, so the counts after it are
the API's. Changes made elsewhere (a client accepting in their own app) show within `ttl`.
"""

import time
from collections.abc import Callable, Hashable
from typing import Any

MAX_ENTRIES = 2000


class ListCache:
    """(firm, key) -> answer for `ttl` seconds; 0 keeps nothing."""

    def __init__(self, ttl: float, *, max_entries: int = MAX_ENTRIES,
                 clock: Callable[[], float] = time.monotonic):
        self.ttl, self.max_entries, self.clock = ttl, max_entries, clock
        self._firms: dict[str, dict[Hashable, tuple[float, Any]]] = {}
        self._size = 0
        self._changes: dict[str, int] = {}  # firm -> changes forgotten so far

    def version(self, firm_id: str) -> int:
        """Taken before asking the API: an answer asked for before a change is not kept."""
        return self._changes.get(firm_id, 0)

    def get(self, firm_id: str, key: Hashable) -> Any:
        """The answer kept for `key`, or None when none is kept or it is older than `ttl`."""
        kept = self._firms.get(firm_id, {}).get(key)
        if kept is None or kept[0] <= self.clock():
            return None
        return kept[1]

    def put(self, firm_id: str, key: Hashable, answer: Any, version: int,
            ttl: float | None = None) -> None:
        """Keep `answer` for `ttl` (else the cache's), unless the firm changed since `version`
        (it may predate the change)."""
        ttl = self.ttl if ttl is None else ttl
        if ttl <= 0 or version != self.version(firm_id):
            return
        if self._size >= self.max_entries:
            self._drop_expired()
            if self._size >= self.max_entries:  # all still fresh: start over, stay bounded
                self._firms.clear()
                self._size = 0
        entries = self._firms.setdefault(firm_id, {})
        self._size += key not in entries
        entries[key] = (self.clock() + ttl, answer)

    def forget_firm(self, firm_id: str) -> None:
        """A change was made in this firm: nothing kept for it is trusted any more."""
        self._size -= len(self._firms.pop(firm_id, {}))
        self._changes[firm_id] = self.version(firm_id) + 1

    def _drop_expired(self) -> None:
        now = self.clock()
        for firm_id in list(self._firms):
            entries = self._firms[firm_id]
            for key in [k for k, (until, _) in entries.items() if until <= now]:
                del entries[key]
                self._size -= 1
            if not entries:
                del self._firms[firm_id]
