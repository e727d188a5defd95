"""Invited companies look like the ones in a European firm's client list."""

import random
import re

from services.platform_simulator.domain.companies import COUNTRIES, new_company

FORMATS = {
    "NL": r"NL-\d{8}", "BE": r"BE 0\d{3}\.\d{3}\.\d{3}", "DK": r"DK-\d{8}",
    "SE": r"SE 556\d{3}-\d{4}", "DE": r"HRB \d{6}", "FR": r"FR \d{3} \d{3} \d{3}",
    "ES": r"ES B\d{8}", "NO": r"NO \d{3} \d{3} \d{3}", "FI": r"FI-\d{7}-\d",
}


def test_names_are_unique_accented_and_carry_their_country_s_legal_form():
    rng, taken = random.Random(3), set()
    companies = [new_company(rng, taken) for _ in range(600)]
    assert len({c.name for c in companies}) == 600
    assert sum(not c.name.isascii() for c in companies) > 150
    for c in companies:
        assert any(c.name.endswith(" " + form) for form in COUNTRIES[c.country][3])
        assert re.fullmatch(FORMATS[c.country], c.registration_number), c


def test_the_seed_names_can_occur():
    rng, taken = random.Random(0), set()
    names = {new_company(rng, taken).name for _ in range(5000)}
    assert {"Café Noir B.V.", "Ångström Consulting AB"} <= names
