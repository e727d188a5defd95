"""Who each staff member was when this process last served them a page (pure, in memory).

The list plans a page for the staff member as last seen instead of reading their row
first: the page's statement reads that row again in its own snapshot, and a page planned
for someone they no longer are (role, firm, name, deactivated) is thrown away and planned
again from a fresh read. So a change is seen on the very next request, and the common one
costs one round trip instead of two.
"""

from uuid import UUID

from services.clients.domain.visibility import Caller

# A few hundred bytes each: 10,000 staff in about 4 MB; beyond that the longest unseen go.
KNOWN_CALLERS_MAX = 10_000


class KnownCallers:
    """The callers last seen, by staff id; bounded, the least recently remembered go first."""

    def __init__(self, limit: int = KNOWN_CALLERS_MAX):
        self.limit = limit
        self._seen: dict[UUID, Caller] = {}

    def get(self, staff_id: UUID) -> Caller | None:
        return self._seen.get(staff_id)

    def remember(self, caller: Caller) -> None:
        self._seen.pop(caller.id, None)
        self._seen[caller.id] = caller
        if len(self._seen) > self.limit:
            del self._seen[next(iter(self._seen))]

    def forget(self, staff_id: UUID) -> None:
        self._seen.pop(staff_id, None)
