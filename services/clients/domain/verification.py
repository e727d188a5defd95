"""How verification progress at the onboarding service moves a link between tabs.

Events may arrive twice or out of order, so a link only ever moves forward: each case
state has a rank, and an event whose state ranks no higher than the furthest one seen is
ignored (an `in_review` arriving after `verified` changes nothing).
"""

from dataclasses import dataclass

RANK = {"invited": 1, "in_review": 2, "verified": 3, "rejected": 3, "expired": 3}
LINK_STATE_OF = {"invited": "onboarding", "in_review": "onboarding", "verified": "active",
                 "rejected": "rejected", "expired": "rejected"}


@dataclass(frozen=True, slots=True)
class VerificationStep:
    link_state: str
    verification_state: str


def step(link_state: str, verification_state: str | None,
         to_state: str) -> VerificationStep | None:
    """Where a link goes on `to_state`, or None when the event is stale or not for it.

    Only links that came in through onboarding follow verification; an invitation
    accepted by an admin or a declined/disconnected link is not moved by it.
    """
    followed = link_state == "onboarding" or verification_state is not None
    if not followed or link_state in ("declined", "disconnected"):
        return None
    if RANK[to_state] <= RANK.get(verification_state or "", 0):
        return None
    return VerificationStep(LINK_STATE_OF[to_state], to_state)
