"""The portal's wording: both languages say everything, and the contract names are exact."""

import re

from services.portal.wording import NL, WORDS, api_message, words_for


def test_every_sentence_exists_in_both_languages_with_the_same_placeholders():
    en, nl = WORDS["en"], WORDS["nl"]
    assert en.keys() == nl.keys()
    for key in en:
        assert set(re.findall(r"{(\w+)}", en[key])) == set(re.findall(r"{(\w+)}", nl[key])), key


def test_accessible_names_of_the_contract():
    en, nl = words_for("en"), words_for("nl")
    assert (en["search_label"], nl["search_label"]) == ("Search clients", "Cliënten zoeken")
    assert en["more_actions"].format(name="Café Noir B.V.") == "More actions for Café Noir B.V."
    assert nl["more_actions"].format(name="X") == "Meer acties voor X"
    assert [nl[k] for k in ("col_client", "col_assigned", "col_missing_receipts",
                            "col_ready_for_export", "col_wallet_balance")] == [
        "Cliënt", "Toegewezen aan", "Ontbrekende bonnen", "Klaar voor export", "Saldo wallet"]
    assert (nl["go_to_client"], nl["view_details"], nl["load_more"]) == (
        "Naar cliënt", "Details bekijken", "Meer laden")
    assert (en["sort_name_asc"], nl["sort_name_desc"]) == ("Name (A–Z)", "Naam (Z–A)")


def test_unknown_locale_reads_english():
    assert words_for("de") is WORDS["en"] and words_for(None) is WORDS["en"]


def test_api_errors_read_as_sentences():
    assert api_message(NL, "client_not_found", "client not found") == NL["api_client_not_found"]
    assert api_message(NL, "weird_code", "the reason") == "Het verzoek is geweigerd: the reason"
