"""Who sees which client, and in which tab (PRODUCT sections 1 and 2)."""

from collections.abc import Mapping
from dataclasses import dataclass
from uuid import UUID

ADMIN, BOOKKEEPER = "admin", "bookkeeper"

TAB_STATE = {"invitations": "invitation_pending", "onboarding": "onboarding",
             "my": "active", "all": "active"}
TABS_OF_ROLE = {ADMIN: ("invitations", "onboarding", "my", "all"),
                BOOKKEEPER: ("onboarding", "my")}
# The seed: "if there are no pending invitations or onboarding clients, those tabs vanish".
HIDDEN_WHEN_EMPTY = frozenset({"invitations", "onboarding"})
# States in which a link shows in some tab; the others (declined, ...) are never shown.
VISIBLE_STATES = ("invitation_pending", "onboarding", "active")
BOOKKEEPER_STATES = ("onboarding", "active")


@dataclass(frozen=True, slots=True)
class Caller:
    """A staff member as the database knows them at the time of the request."""

    id: UUID
    firm_id: UUID
    role: str
    name: str
    email: str
    locale: str

    @property
    def is_admin(self) -> bool:
        return self.role == ADMIN


def may_see(role: str, link_state: str, assigned_to_me: bool) -> bool:
    """Admins see every shown link of their firm; bookkeepers only assigned ones."""
    if role == ADMIN:
        return link_state in VISIBLE_STATES
    return assigned_to_me and link_state in BOOKKEEPER_STATES


def tab_of(link_state: str, assigned_to_me: bool) -> str | None:
    """The tab an item belongs to from its viewer's side; active ones assigned to me are "my"."""
    if link_state == "invitation_pending":
        return "invitations"
    if link_state == "onboarding":
        return "onboarding"
    if link_state == "active":
        return "my" if assigned_to_me else "all"
    return None


def tabs_for(role: str, counts: Mapping[str, int]) -> list[dict]:
    """The tabs `role` sees with their counts, empty invitations/onboarding left out."""
    return [{"tab": tab, "count": counts.get(tab, 0)} for tab in TABS_OF_ROLE[role]
            if tab not in HIDDEN_WHEN_EMPTY or counts.get(tab, 0) > 0]
