"""What one Clients page request asks for, checked against the caller's role (PRODUCT 2-3).

The result is a `ListPlan` the repository turns into one keyset range scan: either over the
firm's links in one state, or over one staff member's assignments in one state.
"""

from dataclasses import dataclass
from uuid import UUID

from services.clients.domain.cursor import binding_of, decode_cursor, encode_cursor
from services.clients.domain.errors import NotAllowed
from services.clients.domain.search import Search, search_of
from services.clients.domain.visibility import TAB_STATE, TABS_OF_ROLE, Caller

# The triage sorts put the clients that need work first unless asked otherwise.
DEFAULT_ORDER = {"name": "asc", "missing_receipts": "desc", "ready_for_export": "desc"}


@dataclass(frozen=True, slots=True)
class ListRequest:
    """The query parameters of GET /v1/clients, already type-checked."""

    tab: str | None = None
    q: str | None = None
    missing_receipts: bool = False
    assignee: UUID | None = None
    sort: str = "name"
    order: str | None = None
    limit: int = 50
    cursor: str | None = None


@dataclass(frozen=True, slots=True)
class ListPlan:
    """One page to read: which rows, in which order, from where."""

    firm_id: UUID
    viewer_id: UUID
    state: str
    # None: every link of the firm in `state`; else only those assigned to this staff member
    assigned_to: UUID | None
    # tab=my combined with another assignee: also assigned to the viewer
    also_assigned_to: UUID | None
    sort: str
    descending: bool
    search: Search | None
    missing_only: bool
    limit: int
    # (tier, sort value, id) of the last row of the previous page
    after: tuple[int, str | int, UUID] | None
    binding: str


def plan_list(caller: Caller, req: ListRequest, secret: str) -> ListPlan:
    """Check `req` against the caller's role and turn it into a plan (BadCursor, NotAllowed)."""
    # An assignee filter names someone else's list; "my" would make it an intersection.
    tab = req.tab or ("all" if req.assignee and caller.is_admin else "my")
    if tab not in TABS_OF_ROLE[caller.role]:
        raise NotAllowed(f"the {tab!r} tab is for admins only", code="tab_not_allowed")
    if req.assignee and not caller.is_admin and req.assignee != caller.id:
        raise NotAllowed("only admins filter by another staff member", code="forbidden")
    order = req.order or DEFAULT_ORDER[req.sort]
    search = search_of(req.q)
    assigned_to = req.assignee
    also = None
    if tab == "my" or not caller.is_admin:
        if assigned_to and assigned_to != caller.id:
            also = caller.id
        else:
            assigned_to = caller.id
    pattern = search and search.anywhere
    binding = binding_of(tab, pattern, req.missing_receipts, req.assignee, req.sort, order)
    after = None
    if req.cursor:
        value_type = str if req.sort == "name" else int
        after = decode_cursor(req.cursor, binding, secret, value_type)
    return ListPlan(firm_id=caller.firm_id, viewer_id=caller.id, state=TAB_STATE[tab],
                    assigned_to=assigned_to, also_assigned_to=also, sort=req.sort,
                    descending=order == "desc", search=search,
                    missing_only=req.missing_receipts, limit=req.limit, after=after,
                    binding=binding)


def next_cursor(plan: ListPlan, last_tier: int, last_value: str | int, last_id: UUID,
                secret: str) -> str:
    """The cursor of the page after the one ending with (`last_tier`, `last_value`,
    `last_id`)."""
    return encode_cursor(last_value, last_id, plan.binding, secret, tier=last_tier)
