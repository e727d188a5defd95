"""The case state machine: every (state, provider event) pair is legal, a replay, or illegal."""

import itertools

import pytest

from services.onboarding.domain.case_states import (
    EXPIRABLE_STATES, FINAL_STATES, TARGET_STATE, IllegalTransition, can_move, decide)

STATES = ("invited", "in_review", "verified", "rejected", "expired")
EVENTS = ("submitted", "approved", "rejected", "expired")

LEGAL = {
    ("invited", "submitted"): "in_review",
    ("invited", "rejected"): "rejected",
    ("invited", "expired"): "expired",
    ("in_review", "approved"): "verified",
    ("in_review", "rejected"): "rejected",
    ("in_review", "expired"): "expired",
}
REPLAYS = {("in_review", "submitted"), ("verified", "approved"), ("rejected", "rejected"),
           ("expired", "expired")}
ILLEGAL = set(itertools.product(STATES, EVENTS)) - set(LEGAL) - REPLAYS


@pytest.mark.parametrize("state, event", sorted(LEGAL))
def test_legal_event_moves_the_case(state, event):
    decision = decide(state, event)
    assert decision.changes
    assert (decision.from_state, decision.to_state) == (state, LEGAL[(state, event)])


@pytest.mark.parametrize("state, event", sorted(REPLAYS))
def test_event_already_in_effect_is_a_replay(state, event):
    decision = decide(state, event)
    assert not decision.changes
    assert decision.to_state == state


@pytest.mark.parametrize("state, event", sorted(ILLEGAL))
def test_illegal_event_is_refused(state, event):
    with pytest.raises(IllegalTransition) as info:
        decide(state, event)
    assert (info.value.current, info.value.event) == (state, event)
    assert info.value.target == TARGET_STATE[event]
    assert state in str(info.value)


def test_illegal_set_covers_the_issue_examples():
    assert ("rejected", "approved") in ILLEGAL
    assert {("expired", e) for e in ("submitted", "approved", "rejected")} <= ILLEGAL
    assert len(LEGAL) + len(REPLAYS) + len(ILLEGAL) == len(STATES) * len(EVENTS)


def test_messages_say_why():
    with pytest.raises(IllegalTransition, match="already rejected, which is final"):
        decide("rejected", "approved")
    with pytest.raises(IllegalTransition, match="must be submitted"):
        decide("invited", "approved")


def test_final_and_expirable_states():
    assert FINAL_STATES == {"verified", "rejected", "expired"}
    assert EXPIRABLE_STATES == {"invited", "in_review"}
    assert can_move("in_review", "expired") and not can_move("verified", "expired")
