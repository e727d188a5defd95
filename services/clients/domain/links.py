"""The life of a link between a firm and a client company, as one state machine.

    (none) --portal invite-------------------------------> onboarding
    (none) --company invites the firm--------------------> invitation_pending
    (none) --linked directly (internal route)------------> active | invitation_pending
    invitation_pending --admin accepts / declines--------> active | declined
    onboarding --verification: invited, in_review--------> onboarding
    onboarding --verification: verified------------------> active
    onboarding --verification: rejected, expired---------> rejected
    declined | rejected | disconnected --company invites-> invitation_pending

`move_link` decides every move in one pure function: the new state, whether client.upserted
is announced and what the audit log records; or that the link stays as it is and why; or a
domain error. Verification events may arrive twice or out of order, so verification only
moves a link forward: each case state has a rank, and an event ranking no higher than the
furthest one seen moves nothing (an `in_review` after `verified` changes nothing).
"""

from dataclasses import dataclass, field
from typing import Literal
from uuid import UUID

from services.clients.domain.errors import Conflict, NotFound
from shared.events.schemas import CaseState, LinkState

DirectLinkState = Literal["active", "invitation_pending"]

# A client that declined, or was declined, may invite the firm again.
REINVITABLE: frozenset[LinkState] = frozenset({"declined", "disconnected", "rejected"})
# Links that verification never moves, whatever they came through.
LEFT: frozenset[LinkState] = frozenset({"declined", "disconnected"})
RANK: dict[CaseState, int] = {"invited": 1, "in_review": 2, "verified": 3, "rejected": 3,
                              "expired": 3}
LINK_STATE_OF: dict[CaseState, LinkState] = {
    "invited": "onboarding", "in_review": "onboarding", "verified": "active",
    "rejected": "rejected", "expired": "rejected"}


@dataclass(frozen=True, slots=True)
class Link:
    firm_id: UUID
    client_id: UUID
    state: LinkState
    name: str
    registration_number: str
    country: str
    verification_state: CaseState | None
    case_id: UUID | None


# What asks a link to move.

@dataclass(frozen=True, slots=True)
class PortalInvite:
    """An admin invites a new client through the portal; its verification case is `case_id`."""

    case_id: UUID


@dataclass(frozen=True, slots=True)
class CompanyInvite:
    """The company added the firm as its external bookkeeper on the platform."""


@dataclass(frozen=True, slots=True)
class DirectLink:
    """The internal route links the company to the firm in `state`."""

    state: DirectLinkState


@dataclass(frozen=True, slots=True)
class InvitationAnswer:
    """An admin accepts or declines the company's invitation."""

    accept: bool


@dataclass(frozen=True, slots=True)
class VerificationStep:
    """The client's verification case at the onboarding service reached `to_state`."""

    to_state: CaseState


LinkMove = PortalInvite | CompanyInvite | DirectLink | InvitationAnswer | VerificationStep


# What a move does.

@dataclass(frozen=True, slots=True)
class AuditEntry:
    action: str
    details: dict = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Moved:
    """The link (made when there was none) in `state`; client.upserted goes out when
    `announce`, and `audit` is written when there is one."""

    state: LinkState
    verification_state: CaseState | None
    announce: bool
    audit: AuditEntry | None = None
    case_id: UUID | None = None


StayReason = Literal["unchanged", "not_reinvitable", "unknown_link", "stale_or_not_followed"]


@dataclass(frozen=True, slots=True)
class Stays:
    """The move changes nothing; `reason` says why."""

    reason: StayReason


def move_link(link: Link | None, move: LinkMove) -> Moved | Stays:
    """What `move` does to `link` (None: not linked yet); raise NotFound or Conflict when
    the move is refused."""
    match move:
        case PortalInvite(case_id=case_id):
            return _create(link, "onboarding", case_id=case_id,
                           audit=AuditEntry("client.invited", {"case_id": str(case_id)}))
        case DirectLink(state=state):
            return _create(link, state, audit=AuditEntry(
                "link.created", {"state": state, "by": "internal"}))
        case CompanyInvite():
            return _company_invites(link)
        case InvitationAnswer(accept=accept):
            return _answer(link, accept)
        case VerificationStep(to_state=to_state):
            return _verification(link, to_state)
    raise TypeError(f"not a link move: {move!r}")


def _create(link: Link | None, state: LinkState, *, audit: AuditEntry,
            case_id: UUID | None = None) -> Moved | Stays:
    """A new link; asking again for the link as it is is harmless, another state conflicts."""
    if link is None:
        return Moved(state, None, announce=True, audit=audit, case_id=case_id)
    if link.state == state:
        return Stays("unchanged")
    raise Conflict(f"the client is already linked to this firm as {link.state!r}",
                   code="already_linked", details={"link_state": link.state})


def _company_invites(link: Link | None) -> Moved | Stays:
    if link is None:
        return Moved("invitation_pending", None, announce=True)
    if link.state not in REINVITABLE:
        return Stays("not_reinvitable")
    return Moved("invitation_pending", link.verification_state, announce=True)


def _answer(link: Link | None, accept: bool) -> Moved | Stays:
    """invitation_pending -> active or declined; the same answer again changes nothing."""
    target: LinkState = "active" if accept else "declined"
    if link is not None and link.state == target:
        return Stays("unchanged")
    if link is None or link.state not in ("invitation_pending", "onboarding", "active"):
        raise NotFound("no such invitation", code="invitation_not_found")
    if link.state != "invitation_pending":
        raise Conflict(f"the client is not invited: its link is {link.state!r}",
                       code="not_invitation_pending", details={"link_state": link.state})
    action = "invitation.accepted" if accept else "invitation.declined"
    return Moved(target, link.verification_state, announce=True, audit=AuditEntry(action))


def _verification(link: Link | None, to_state: CaseState) -> Moved | Stays:
    """Only links that came in through onboarding follow verification; an invitation
    accepted by an admin, or a declined or disconnected link, is not moved by it."""
    if link is None:
        return Stays("unknown_link")
    followed = link.state == "onboarding" or link.verification_state is not None
    if not followed or link.state in LEFT:
        return Stays("stale_or_not_followed")
    if RANK[to_state] <= RANK.get(link.verification_state, 0):
        return Stays("stale_or_not_followed")
    state = LINK_STATE_OF[to_state]
    return Moved(state, to_state, announce=state != link.state)
