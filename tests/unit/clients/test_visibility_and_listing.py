"""Tabs per role, who sees what, and how a list request becomes a plan (PRODUCT 2-3)."""

import uuid

import pytest

from services.clients.domain.errors import NotAllowed
from services.clients.domain.listing import ListRequest, plan_list
from services.clients.domain.search import search_of
from services.clients.domain.visibility import Caller, may_see, tab_of, tabs_for

FIRM = uuid.uuid4()
ADMIN = Caller(uuid.uuid4(), FIRM, "admin", "A", "a@x", "en")
KEEPER = Caller(uuid.uuid4(), FIRM, "bookkeeper", "B", "b@x", "nl")


@pytest.mark.parametrize("role, counts, expected", [
    ("admin", {}, [("my", 0), ("all", 0)]),
    ("admin", {"invitations": 2, "onboarding": 0, "my": 1, "all": 5},
     [("invitations", 2), ("my", 1), ("all", 5)]),
    ("admin", {"invitations": 1, "onboarding": 3, "my": 0, "all": 0},
     [("invitations", 1), ("onboarding", 3), ("my", 0), ("all", 0)]),
    ("bookkeeper", {"onboarding": 0, "my": 4}, [("my", 4)]),
    ("bookkeeper", {"onboarding": 2, "my": 0}, [("onboarding", 2), ("my", 0)]),
])
def test_tabs_per_role_hide_empty_invitations_and_onboarding(role, counts, expected):
    assert [(t["tab"], t["count"]) for t in tabs_for(role, counts)] == expected


@pytest.mark.parametrize("role, state, mine, visible", [
    ("admin", "active", False, True), ("admin", "invitation_pending", False, True),
    ("admin", "onboarding", False, True), ("admin", "declined", False, False),
    ("admin", "rejected", True, False), ("bookkeeper", "active", True, True),
    ("bookkeeper", "active", False, False), ("bookkeeper", "onboarding", True, True),
    ("bookkeeper", "invitation_pending", True, False), ("bookkeeper", "disconnected", True, False),
])
def test_who_may_see_a_client(role, state, mine, visible):
    assert may_see(role, state, mine) is visible


def test_an_active_client_is_in_my_tab_when_assigned_to_me():
    assert tab_of("active", True) == "my" and tab_of("active", False) == "all"
    assert tab_of("invitation_pending", False) == "invitations"
    assert tab_of("declined", True) is None


def test_tab_defaults_to_my_and_to_all_with_an_assignee():
    plan = plan_list(ADMIN, ListRequest(), "s")
    assert (plan.state, plan.assigned_to) == ("active", ADMIN.id)
    other = uuid.uuid4()
    plan = plan_list(ADMIN, ListRequest(assignee=other), "s")
    assert (plan.state, plan.assigned_to, plan.also_assigned_to) == ("active", other, None)
    plan = plan_list(ADMIN, ListRequest(tab="my", assignee=other), "s")
    assert (plan.assigned_to, plan.also_assigned_to) == (other, ADMIN.id)
    plan = plan_list(ADMIN, ListRequest(tab="invitations"), "s")
    assert (plan.state, plan.assigned_to) == ("invitation_pending", None)


def test_bookkeepers_only_ever_list_their_own_clients():
    plan = plan_list(KEEPER, ListRequest(tab="onboarding"), "s")
    assert (plan.state, plan.assigned_to) == ("onboarding", KEEPER.id)
    assert plan_list(KEEPER, ListRequest(assignee=KEEPER.id), "s").assigned_to == KEEPER.id
    for req in (ListRequest(tab="all"), ListRequest(tab="invitations"),
                ListRequest(assignee=uuid.uuid4())):
        with pytest.raises(NotAllowed):
            plan_list(KEEPER, req, "s")


def test_figure_sorts_default_to_most_work_first():
    assert plan_list(ADMIN, ListRequest(sort="missing_receipts"), "s").descending
    assert not plan_list(ADMIN, ListRequest(sort="name"), "s").descending
    assert not plan_list(ADMIN, ListRequest(sort="ready_for_export", order="asc"), "s").descending


@pytest.mark.parametrize("q, pattern", [
    (None, None), ("", None), ("   ", None), ("café", "%café%"),
    ("  two   words ", "%two words%"),
    ("100%", "%100\\%%"), ("a_b", "%a\\_b%"), ("back\\slash", "%back\\\\slash%"),
])
def test_search_is_a_literal_substring_pattern(q, pattern):
    search = search_of(q)
    assert (search and search.anywhere) == pattern
    assert (search and search.first_word) == (pattern and pattern[1:])
    assert (search and search.later_word) == (pattern and "% " + pattern[1:])


def test_word_starts_rank_first_from_three_characters():
    assert [search_of(q).ranked for q in ("ab", " ab ", "abc", "a b")] == [False, False,
                                                                          True, True]
