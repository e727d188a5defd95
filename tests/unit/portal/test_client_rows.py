"""The Clients page's rows as shown: texts and figures per row in the reader's language."""

from services.portal.views.client_rows import client_rows
from services.portal.wording import words_for


def item(**changes) -> dict:
    return {"id": "c-1", "name": "Café Noir B.V.", "registration_number": "12345678",
            "country": "NL", "link_state": "active", "tab": "all",
            "assignees": [{"id": "s-1", "name": "Daan de Vries", "role": "bookkeeper"},
                          {"id": "s-2", "name": "Eva Jansen", "role": "admin"}],
            "missing_receipts": 1234, "ready_for_export": 0,
            "wallet_balance": {"amount_minor": 123456, "currency": "EUR"}, **changes}


def test_an_active_client_in_dutch():
    [row] = client_rows([item()], words_for("nl"), "nl")
    assert (row.id, row.name, row.badge, row.sub) == ("c-1", "Café Noir B.V.", "",
                                                      "12345678 · NL")
    assert row.assignees == "Daan de Vries, Eva Jansen"
    assert (row.missing_receipts, row.attention) == ("1.234", True)
    assert (row.ready_for_export, row.wallet_balance) == ("0", "€ 1.234,56")
    assert (row.invitation, row.may_go_to) == (False, True)
    assert row.menu_label == "Meer acties voor Café Noir B.V."


def test_english_figures_and_what_is_not_known():
    [row] = client_rows([item(missing_receipts=0, ready_for_export=50000, wallet_balance=None,
                              assignees=[], country="")], words_for("en"), "en")
    assert (row.missing_receipts, row.attention, row.ready_for_export) == ("0", False, "50,000")
    assert row.wallet_balance == "Not known yet"
    assert (row.assignees, row.sub) == ("", "12345678")
    assert row.menu_label == "More actions for Café Noir B.V."


def test_each_link_state_has_its_badge_and_actions():
    rows = client_rows([item(link_state="onboarding"), item(link_state="invitation_pending")],
                       words_for("en"), "en")
    assert [(r.badge, r.invitation, r.may_go_to) for r in rows] == [
        ("Verification in progress", False, False), ("Wants you as bookkeeper", True, False)]


def test_every_text_comes_escaped_once_for_a_template_that_does_not_escape_again():
    [row] = client_rows([item(id='c"1', name="<b>Tom & Jerry</b>", registration_number="1<2",
                              assignees=[{"name": "O'Neil & Co"}],
                              wallet_balance={"amount_minor": 1, "currency": "<X>"})],
                        words_for("en"), "en")
    assert row.id == "c&#34;1"
    assert row.name == "&lt;b&gt;Tom &amp; Jerry&lt;/b&gt;"
    assert row.menu_label == "More actions for &lt;b&gt;Tom &amp; Jerry&lt;/b&gt;"
    assert (row.sub, row.assignees) == ("1&lt;2 · NL", "O&#39;Neil &amp; Co")
    assert "<" not in row.wallet_balance and "&lt;X&gt;" in row.wallet_balance


def test_texts_are_escaped_together_and_a_separator_in_a_text_changes_nothing():
    names = ["A & B", "C\0<D>", "E"]
    rows = client_rows([item(id=f"c-{n}", name=name) for n, name in enumerate(names)],
                       words_for("en"), "en")
    assert [(r.id, r.name) for r in rows] == [("c-0", "A &amp; B"), ("c-1", "C\0&lt;D&gt;"),
                                              ("c-2", "E")]
    assert client_rows([], words_for("en"), "en") == []
