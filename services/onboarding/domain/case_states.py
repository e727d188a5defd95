"""The verification case state machine: which provider event moves a case where.

invited -> in_review -> verified | rejected, and invited | in_review -> expired.
A provider may also reject a case before anything was submitted (invited -> rejected);
approval always needs a submission first. `verified`, `rejected` and `expired` are final: nothing moves a case out of them.
"""

from dataclasses import dataclass

from shared.events.schemas import CaseState

INITIAL_STATE: CaseState = "invited"

# What each provider event asks for (the webhook's `event` field).
TARGET_STATE: dict[str, CaseState] = {
    "submitted": "in_review",
    "approved": "verified",
    "rejected": "rejected",
    "expired": "expired",
}

TRANSITIONS: dict[CaseState, frozenset[CaseState]] = {
    "invited": frozenset({"in_review", "rejected", "expired"}),
    "in_review": frozenset({"verified", "rejected", "expired"}),
    "verified": frozenset(),
    "rejected": frozenset(),
    "expired": frozenset(),
}

FINAL_STATES: frozenset[CaseState] = frozenset(s for s, nxt in TRANSITIONS.items() if not nxt)
EXPIRABLE_STATES: frozenset[CaseState] = frozenset(
    s for s, nxt in TRANSITIONS.items() if "expired" in nxt)


class IllegalTransition(Exception):
    """The case's current state does not allow the requested one."""

    def __init__(self, current: CaseState, event: str, target: CaseState):
        self.current, self.event, self.target = current, event, target
        super().__init__(_explain(current, event, target))


@dataclass(frozen=True, slots=True)
class Decision:
    """What applying a provider event to a case means: a move, or nothing (already there)."""

    from_state: CaseState
    to_state: CaseState

    @property
    def changes(self) -> bool:
        return self.from_state != self.to_state


def decide(current: CaseState, event: str) -> Decision:
    """Decide what provider `event` does to a case in `current`; raise IllegalTransition."""
    target = TARGET_STATE[event]
    # The provider redelivering an event that is already in effect is a harmless replay.
    if target == current:
        return Decision(current, current)
    if target not in TRANSITIONS[current]:
        raise IllegalTransition(current, event, target)
    return Decision(current, target)


def can_move(current: CaseState, target: CaseState) -> bool:
    """True when a case in `current` may move to `target`."""
    return target in TRANSITIONS[current]


def _explain(current: CaseState, event: str, target: CaseState) -> str:
    if current in FINAL_STATES:
        return (f"case is already {current}, which is final: "
                f"'{event}' cannot move it to {target}")
    if current == "invited" and target == "verified":
        return (f"case is still invited: it must be submitted (in_review) "
                f"before it can be {target}")
    return f"'{event}' cannot move a case from {current} to {target}"
