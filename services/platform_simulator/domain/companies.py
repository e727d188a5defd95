"""Believable client companies: names with their accents, legal forms and registration numbers."""

import random
from dataclasses import dataclass

# Country -> (weight, first words, second words, legal forms). Deliberately full of accents and
# non-ASCII letters: search and sort in the portal must cope with them.
COUNTRIES = {
    "NL": (30, ("Café", "Bakkerij", "Bloem", "Noord", "Polder", "Molen", "Haven", "Duin",
                "Tulp", "Kaas", "Stroop", "Dijk", "Eik", "Zoë's", "Groen", "De Gouden"),
           ("Noir", "Bouw", "Installatie", "Advies", "Architecten", "Tandartsen",
            "Fysiotherapie", "Kapsalon", "Verhuur", "Drukkerij", "Schilders", "Bloemen",
            "& Zonen", "Reizen", "Groep", "Catering"),
           ("B.V.", "B.V.", "B.V.", "V.O.F.")),
    "BE": (12, ("Brasserie", "Chocolaterie", "Café", "Atelier", "Frituur", "Léon", "Crème"),
           ("de la Crème", "Noir", "Architecture", "Bouw", "Consult", "Gourmand"),
           ("BV", "NV", "SRL")),
    "DK": (14, ("Søren", "Øresund", "Ærø", "Smørrebrød", "Nørre", "Kaffebar", "Hygge"),
           ("Tømrer", "Design", "Rådgivning", "Bryghus", "Consulting", "Ejendomme"),
           ("ApS", "ApS", "A/S")),
    "SE": (10, ("Ångström", "Fjällräv", "Åkers", "Göteborgs", "Björk", "Malmö", "Älv"),
           ("Consulting", "Bygg", "Städ", "Kaffe", "Redovisning", "Snickeri"),
           ("AB", "AB", "HB")),
    "DE": (12, ("Bäckerei", "Müller", "Jürgen", "Münchner", "Schäfer", "Weiß", "Kölner"),
           ("Bau", "Logistik", "Software", "Elektrotechnik", "Handwerk", "Brauhaus"),
           ("GmbH", "GmbH", "UG", "KG")),
    "FR": (8, ("Hôtel", "Crème", "Léon", "Café", "Boulangerie", "Château", "Élysée"),
           ("du Lac", "de la Gare", "Noir", "Conseil", "Voyages", "Événements"),
           ("SARL", "SAS", "EURL")),
    "ES": (6, ("Señor", "Niño", "Iñigo", "Peña", "Mañana", "Café"),
           ("Construcciones", "Diseño", "Logística", "Gastronomía", "Consultores"),
           ("S.L.", "S.L.", "S.A.")),
    "NO": (4, ("Fjord", "Bjørn", "Høyden", "Tromsø", "Ålesund"),
           ("Bygg", "Eiendom", "Consulting", "Fiskeri"), ("AS", "AS", "ASA")),
    "FI": (4, ("Järvi", "Sääksi", "Kivi", "Mäki", "Pöytä"),
           ("Rakennus", "Konsultointi", "Design", "Kahvila"), ("Oy", "Oy", "Oy Ab")),
}


@dataclass(frozen=True, slots=True)
class Company:
    name: str
    registration_number: str
    country: str


def registration_number(rng: random.Random, country: str) -> str:
    """A number in the shape each country's business register uses."""

    def digits(n: int) -> str:
        return "".join(str(rng.randrange(10)) for _ in range(n))

    match country:
        case "NL":
            return f"NL-{digits(8)}"  # KvK number
        case "BE":
            return f"BE 0{digits(3)}.{digits(3)}.{digits(3)}"  # KBO/BCE
        case "DK":
            return f"DK-{digits(8)}"  # CVR
        case "SE":
            return f"SE 556{digits(3)}-{digits(4)}"  # organisationsnummer
        case "DE":
            return f"HRB {digits(6)}"  # Handelsregister
        case "FR":
            return f"FR {digits(3)} {digits(3)} {digits(3)}"  # SIREN
        case "ES":
            return f"ES B{digits(8)}"  # CIF
        case "NO":
            return f"NO {digits(3)} {digits(3)} {digits(3)}"  # organisasjonsnummer
        case _:
            return f"{country}-{digits(7)}-{digits(1)}"  # Y-tunnus and the rest


def new_company(rng: random.Random, taken_names: set[str]) -> Company:
    """A company whose name is not yet in `taken_names` (which it is added to)."""
    countries = list(COUNTRIES)
    country = rng.choices(countries, weights=[COUNTRIES[c][0] for c in countries])[0]
    _, firsts, seconds, forms = COUNTRIES[country]
    base = f"{rng.choice(firsts)} {rng.choice(seconds)}"
    form = rng.choice(forms)
    name = f"{base} {form}"
    serial = 2
    while name in taken_names:
        # Registers are full of these: the second "Café Noir" carries a number.
        name = f"{base} {serial} {form}"
        serial += 1
    taken_names.add(name)
    return Company(name=name, registration_number=registration_number(rng, country),
                   country=country)
