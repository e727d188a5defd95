"""The link lifecycle as one pure state machine (domain/links.py)."""

import uuid

import pytest

from services.clients.domain.errors import Conflict, NotFound
from services.clients.domain.links import (AuditEntry, CompanyInvite, DirectLink,
                                           InvitationAnswer, Link, Moved, PortalInvite, Stays,
                                           VerificationStep, move_link)

STATES = ("invitation_pending", "onboarding", "active", "declined", "rejected", "disconnected")


def link(state: str, verification_state: str | None = None) -> Link:
    return Link(uuid.uuid4(), uuid.uuid4(), state, "Client", "NL1", "NL", verification_state,
                None)


def test_a_portal_invite_makes_an_onboarding_link_announced_and_audited_with_its_case():
    case_id = uuid.uuid4()
    assert move_link(None, PortalInvite(case_id)) == Moved(
        "onboarding", None, announce=True,
        audit=AuditEntry("client.invited", {"case_id": str(case_id)}), case_id=case_id)


@pytest.mark.parametrize("state", ["active", "invitation_pending"])
def test_a_direct_link_is_made_once_and_repeating_it_changes_nothing(state):
    assert move_link(None, DirectLink(state)) == Moved(
        state, None, announce=True,
        audit=AuditEntry("link.created", {"state": state, "by": "internal"}))
    assert move_link(link(state), DirectLink(state)) == Stays("unchanged")


@pytest.mark.parametrize("existing", ["onboarding", "declined", "invitation_pending"])
def test_a_direct_link_in_another_state_than_the_existing_one_conflicts(existing):
    with pytest.raises(Conflict) as caught:
        move_link(link(existing), DirectLink("active"))
    assert caught.value.code == "already_linked"
    assert caught.value.details == {"link_state": existing}
    assert caught.value.message == (f"the client is already linked to this firm as"
                                    f" {existing!r}")


def test_a_company_invite_makes_a_pending_link_announced_without_audit():
    assert move_link(None, CompanyInvite()) == Moved("invitation_pending", None, announce=True)


@pytest.mark.parametrize("state", ["declined", "rejected", "disconnected"])
def test_a_company_that_declined_or_was_declined_may_invite_again(state):
    assert move_link(link(state, "rejected"), CompanyInvite()) == Moved(
        "invitation_pending", "rejected", announce=True)


@pytest.mark.parametrize("state", ["invitation_pending", "onboarding", "active"])
def test_a_company_invite_leaves_a_live_link_alone(state):
    assert move_link(link(state), CompanyInvite()) == Stays("not_reinvitable")


@pytest.mark.parametrize("accept, target, action", [
    (True, "active", "invitation.accepted"), (False, "declined", "invitation.declined")])
def test_answering_a_pending_invitation_moves_announces_and_audits(accept, target, action):
    assert move_link(link("invitation_pending", "invited"), InvitationAnswer(accept)) == Moved(
        target, "invited", announce=True, audit=AuditEntry(action))


@pytest.mark.parametrize("accept, state", [(True, "active"), (False, "declined")])
def test_the_same_answer_again_changes_nothing(accept, state):
    assert move_link(link(state), InvitationAnswer(accept)) == Stays("unchanged")


@pytest.mark.parametrize("accept, state", [
    (True, "onboarding"), (False, "onboarding"), (False, "active")])
def test_answering_a_client_that_is_not_invited_conflicts(accept, state):
    with pytest.raises(Conflict) as caught:
        move_link(link(state), InvitationAnswer(accept))
    assert caught.value.code == "not_invitation_pending"
    assert caught.value.details == {"link_state": state}


@pytest.mark.parametrize("accept, state", [
    (True, None), (False, None), (True, "declined"), (True, "rejected"), (False, "rejected"),
    (True, "disconnected"), (False, "disconnected")])
def test_answering_no_invitation_is_not_found(accept, state):
    with pytest.raises(NotFound) as caught:
        move_link(state and link(state), InvitationAnswer(accept))
    assert caught.value.code == "invitation_not_found"


@pytest.mark.parametrize("state, seen, to, expected", [
    ("onboarding", None, "invited", ("onboarding", "invited")),
    ("onboarding", "invited", "in_review", ("onboarding", "in_review")),
    ("onboarding", "in_review", "verified", ("active", "verified")),
    ("onboarding", None, "verified", ("active", "verified")),  # skipped steps are fine
    ("onboarding", "invited", "rejected", ("rejected", "rejected")),
    ("onboarding", "in_review", "expired", ("rejected", "expired")),
    ("active", "verified", "in_review", None),  # late: never backwards
    ("onboarding", "in_review", "invited", None),
    ("onboarding", "in_review", "in_review", None),  # duplicate
    ("rejected", "rejected", "verified", None),  # terminal
    ("active", None, "verified", None),  # accepted invitation: not onboarding's
    ("invitation_pending", None, "invited", None),
    ("declined", "invited", "verified", None),
    ("disconnected", "in_review", "verified", None),
    ("invitation_pending", "rejected", "verified", None),  # invited again after a rejection
])
def test_verification_moves_links_forward_only(state, seen, to, expected):
    outcome = move_link(link(state, seen), VerificationStep(to))
    if expected is None:
        assert outcome == Stays("stale_or_not_followed")
    else:
        assert (outcome.state, outcome.verification_state) == expected
        assert outcome.announce == (expected[0] != state) and outcome.audit is None


def test_verification_of_a_client_not_linked_moves_nothing():
    assert move_link(None, VerificationStep("verified")) == Stays("unknown_link")


@pytest.mark.parametrize("state", STATES)
def test_every_state_answers_every_move_with_a_decision_or_a_domain_error(state):
    moves = [PortalInvite(uuid.uuid4()), CompanyInvite(), DirectLink("active"),
             InvitationAnswer(True), InvitationAnswer(False), VerificationStep("verified")]
    for move in moves:
        try:
            outcome = move_link(link(state), move)
        except (Conflict, NotFound):
            continue
        assert isinstance(outcome, Moved | Stays)
