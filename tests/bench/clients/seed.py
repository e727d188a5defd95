"""Seed data for the client-list benchmark: one big firm and two others, loaded with COPY.

The big firm: `clients` active clients (plus some onboarding and pending invitations), 20
staff (2 admins, 18 bookkeepers), every client assigned to one or two bookkeepers, task
figures shaped like a real practice (about a third with missing receipts, a long tail).
"""

import random
import uuid
from datetime import UTC, datetime, timedelta
from dataclasses import dataclass, field

import asyncpg

ACTIVITIES = ["Bakkerij", "Café", "Restaurant", "Bouwbedrijf", "Installatiebedrijf",
              "Tandartspraktijk", "Kapsalon", "Autobedrijf", "Transport", "Advocatenkantoor",
              "Architectenbureau", "Boekhandel", "Bloemenhuis", "Slagerij", "Garage",
              "Atelier", "Studio", "Handelsonderneming", "Schildersbedrijf", "Loodgieter",
              "Tømrerfirma", "Økologisk Gårdbutik", "Élan Coiffure", "Brasserie",
              "Fysiotherapie",
              "IT-Consultancy", "Hoveniersbedrijf", "Drukkerij", "Zeilmakerij", "Vinhandel"]
NAMES = ["de Vries", "Jansen", "van den Berg", "Bakker", "Visser", "Smit", "Meijer",
         "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen",
         "Dekker", "Brouwer", "de Wit", "Dijkstra", "Smits", "Jørgensen", "Sørensen",
         "Müller", "Schäfer", "Nørgaard", "Lefèvre", "Gonçalves", "Ødegaard", "Åberg",
         "Çelik", "Öztürk", "Nguyễn", "Kowalski", "Ångström", "Østergaard", "Hansen"]
PLACES = ["", "", "", "Amsterdam", "Utrecht", "Zwolle", "Groningen", "Aarhus", "København",
          "Odense", "Rotterdam", "Den Haag", "Eindhoven", "Ålborg", "Maastricht"]
FORMS = ["B.V.", "B.V.", "V.O.F.", "ApS", "A/S", "", "& Zn.", "Holding B.V."]


@dataclass
class Seeded:
    firm_ids: list[uuid.UUID]
    big_firm: uuid.UUID
    admin_ids: list[uuid.UUID]
    bookkeeper_ids: list[uuid.UUID]
    client_count: dict = field(default_factory=dict)


def company_name(rng: random.Random) -> str:
    parts = [rng.choice(ACTIVITIES), rng.choice(NAMES), rng.choice(PLACES), rng.choice(FORMS)]
    return " ".join(p for p in parts if p)


def registration_number(rng: random.Random) -> str:
    if rng.random() < 0.6:
        return f"NL{rng.randrange(10**7, 10**8)}"
    return f"DK{rng.randrange(10**7, 10**8)}"


def figures(rng: random.Random) -> tuple[int, int, int, str]:
    missing = int(rng.paretovariate(1.3)) if rng.random() < 0.33 else 0
    ready = int(rng.paretovariate(1.1) * 2) if rng.random() < 0.45 else 0
    currency = "EUR" if rng.random() < 0.7 else "DKK"
    return min(missing, 500), min(ready, 900), rng.randrange(-50_000, 5_000_000), currency


async def seed(conn: asyncpg.Connection, *, clients: int, other_clients: int,
               seed_value: int = 42) -> Seeded:
    """Load the three firms; returns who is who."""
    rng = random.Random(seed_value)
    firms = [uuid.uuid4() for _ in range(3)]
    await conn.copy_records_to_table(
        "firms", schema_name="clients", columns=["id", "name"],
        records=[(f, f"Bench firm {i} {f.hex[:6]}") for i, f in enumerate(firms)])
    staff, admins, bookkeepers = [], [], []
    for firm_index, firm in enumerate(firms):
        for i in range(20 if firm_index == 0 else 4):
            sid, role = uuid.uuid4(), "admin" if i < 2 else "bookkeeper"
            staff.append((sid, firm, f"staff{i}.{sid.hex[:6]}@bench.example", f"Staff {i}",
                          role, "nl" if i % 2 else "en"))
            if firm_index == 0:
                (admins if role == "admin" else bookkeepers).append(sid)
    await conn.copy_records_to_table(
        "staff", schema_name="clients",
        columns=["id", "firm_id", "email", "name", "role", "locale"], records=staff)
    result = Seeded(firm_ids=firms, big_firm=firms[0], admin_ids=admins,
                    bookkeeper_ids=bookkeepers)
    firm_staff = {f: [s[0] for s in staff if s[1] == f and s[4] == "bookkeeper"]
                  for f in firms}
    for firm_index, firm in enumerate(firms):
        count = clients if firm_index == 0 else other_clients
        await _seed_firm(conn, rng, firm, count, firm_staff[firm])
        result.client_count[firm] = count
    await conn.execute("analyze clients.links; analyze clients.assignments;"
                       " analyze clients.task_figures; analyze clients.staff")
    return result


async def _seed_firm(conn: asyncpg.Connection, rng: random.Random, firm: uuid.UUID,
                     active: int, bookkeepers: list[uuid.UUID]) -> None:
    states = (["active"] * active + ["onboarding"] * (active // 200)
              + ["invitation_pending"] * (active // 500))
    companies, links, tasks, assignments, prefs = [], [], [], [], []
    for state in states:
        cid = uuid.uuid4()
        name, reg = company_name(rng), registration_number(rng)
        country = reg[:2]
        missing, ready, balance, currency = figures(rng)
        companies.append((cid, name, reg, country))
        tasks.append((cid, missing, ready, balance, currency, 1))
        links.append((firm, cid, state, name, reg, country, missing, ready))
        for staff_id in rng.sample(bookkeepers, 2 if rng.random() < 0.15 else 1):
            assignments.append((firm, cid, staff_id, state, missing, ready))
            if rng.random() < 0.2:  # some turned the email digest on
                prefs.append((staff_id, cid, True, rng.choice(["daily", "weekly", "monthly"]),
                              datetime.now(UTC), datetime.now(UTC) + timedelta(days=3)))
    await conn.copy_records_to_table(
        "companies", schema_name="clients",
        columns=["id", "name", "registration_number", "country"], records=companies)
    await conn.copy_records_to_table(
        "task_figures", schema_name="clients",
        columns=["client_id", "missing_receipts", "ready_for_export", "wallet_balance_minor",
                 "wallet_currency", "wallet_sequence"], records=tasks)
    await conn.copy_records_to_table(
        "links", schema_name="clients",
        columns=["firm_id", "client_id", "state", "name", "registration_number", "country",
                 "missing_receipts", "ready_for_export"], records=links)
    # name_key is copied from the link so it is folded by the database's own function
    await conn.execute("create temp table bench_assign (firm_id uuid, client_id uuid,"
                       " staff_id uuid, state text, missing int, ready int)")
    await conn.copy_records_to_table("bench_assign", records=assignments)
    await conn.execute(
        """insert into clients.assignments (firm_id, client_id, staff_id, state, name_key,
                                           missing_receipts, ready_for_export)
           select b.firm_id, b.client_id, b.staff_id, b.state, l.name_key, b.missing, b.ready
             from bench_assign b join clients.links l using (firm_id, client_id)""")
    await conn.execute("drop table bench_assign")
    await conn.copy_records_to_table(
        "notification_preferences", schema_name="clients",
        columns=["staff_id", "client_id", "email", "frequency", "changed_at",
                 "first_digest_at"], records=prefs)
