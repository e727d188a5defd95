"""The Clients page's state: URL query <-> ListState <-> the API's query, and tab names."""

from services.portal.views.client_list import ListState, shown_tabs, tab_label
from services.portal.wording import words_for


def test_the_spec_url_reads_back_into_the_same_state_and_url():
    url_query = {"tab": "all", "q": "cafe", "missing_receipts": "1", "sort": "name_desc"}
    state = ListState.from_query(url_query, is_admin=True)
    assert state == ListState(tab="all", q="cafe", missing_receipts=True, sort="name_desc")
    assert state.url() == "/clients?tab=all&q=cafe&missing_receipts=1&sort=name_desc"


def test_defaults_are_left_out_of_the_url():
    assert ListState().url() == "/clients?tab=my"
    assert ListState().url(tab="all") == "/clients?tab=all"


def test_api_query_maps_each_sort_to_sort_and_order():
    expected = {"name_asc": ("name", "asc"), "name_desc": ("name", "desc"),
                "missing_receipts": ("missing_receipts", "desc"),
                "ready_for_export": ("ready_for_export", "desc")}
    for sort, (api_sort, order) in expected.items():
        params = ListState(sort=sort).api_params(limit=50)
        assert (params["sort"], params["order"]) == (api_sort, order)


def test_api_query_carries_search_filters_and_cursor_only_when_set():
    plain = ListState(tab="all").api_params(limit=50)
    assert plain == {"tab": "all", "sort": "name", "order": "asc", "limit": 50}
    full = ListState(tab="all", q="café", missing_receipts=True, assignee="s-1").api_params(
        limit=20, cursor="abc")
    assert full == {"tab": "all", "sort": "name", "order": "asc", "limit": 20, "q": "café",
                    "missing_receipts": "true", "assignee": "s-1", "cursor": "abc"}


def test_unknown_values_fall_back_to_defaults():
    state = ListState.from_query({"tab": "everything", "sort": "random",
                                  "missing_receipts": "maybe"})
    assert state == ListState()


def test_a_tab_the_reader_does_not_have_falls_back_to_my_or_the_first_shown():
    assert ListState.from_query({"tab": "all"}, tabs=("onboarding", "my")).tab == "my"
    assert ListState.from_query({"tab": "all"}, tabs=("onboarding",)).tab == "onboarding"


def test_only_admins_filter_by_assignee():
    assert ListState.from_query({"assignee": "x"}, is_admin=False).assignee == ""
    assert ListState.from_query({"assignee": "x"}, is_admin=True).assignee == "x"


def test_search_is_trimmed_and_its_spaces_collapsed():
    assert ListState.from_query({"q": "  café   noir "}).q == "café noir"
    assert len(ListState.from_query({"q": "x" * 500}).q) == 200


def test_shown_tabs_keep_the_page_order_and_only_what_the_api_returned():
    api = [{"tab": "all", "count": 7}, {"tab": "my", "count": 2},
           {"tab": "invitations", "count": 1}, {"tab": "surprise", "count": 3}]
    assert shown_tabs(api) == [("invitations", 1), ("my", 2), ("all", 7)]


def test_tab_names_in_both_languages():
    assert tab_label(words_for("en"), "my", "12") == "My clients 12"
    assert tab_label(words_for("nl"), "my", "12") == "Mijn cliënten 12"
    assert tab_label(words_for("nl"), "invitations", "1") == "Uitnodigingen 1"
    assert tab_label(words_for("en"), "all", "1,234") == "All 1,234"
