"""The stream is one a real platform could emit: valid, keyed, and in a legal order."""

from collections import Counter
from dataclasses import replace

import pytest

from services.platform_simulator.domain.simulation import SOURCES, Simulation
from shared.events import EVENT_TYPES, decode
from shared.topics import PLATFORM_COMPANIES, PLATFORM_EXPENSES, PLATFORM_WALLETS
from tests.unit.platform_simulator.sample import FIRMS, take

PLATFORM_TOPICS = {PLATFORM_EXPENSES, PLATFORM_WALLETS, PLATFORM_COMPANIES}


@pytest.fixture(scope="module")
def decoded(plan):
    return [decode(e.to_bytes()) for e in take(Simulation(plan), 6000)]


def test_every_event_decodes_on_a_platform_topic_keyed_by_its_client(decoded):
    for event in decoded:
        topic = EVENT_TYPES[event.type].topic
        assert topic in PLATFORM_TOPICS
        assert event.envelope.source == SOURCES[topic]
        assert event.envelope.subject == str(event.data.client_id)
        assert event.envelope.key == str(event.data.client_id).encode()


def test_the_whole_expense_life_and_both_wallet_directions_occur(decoded):
    types = Counter(e.type for e in decoded)
    assert set(types) == {t for t, k in EVENT_TYPES.items() if k.topic in PLATFORM_TOPICS}
    created = [e.data for e in decoded if e.type == "expense.created"]
    assert {c.has_receipt for c in created} == {True, False}
    assert {c.receipt_required for c in created} == {True, False}
    # Receipts are mostly required (a few bank fees and parking tickets are not).
    assert sum(c.receipt_required for c in created) > 0.8 * len(created)
    assert all(c.currency == "EUR" and c.amount_minor > 0 for c in created)


def test_wallet_sequences_count_up_by_one_per_client_from_the_start(decoded):
    sequences: dict[str, list[int]] = {}
    for event in decoded:
        if event.type == "wallet.balance_changed":
            sequences.setdefault(event.envelope.subject, []).append(event.envelope.sequence)
    assert len(sequences) > 10
    for seq in sequences.values():
        assert seq == list(range(1, len(seq) + 1))


def test_sequence_start_is_where_every_client_begins(plan):
    events = take(Simulation(replace(plan, sequence_start=1_795_420_800_000)), 2000)
    firsts: dict[str, int] = {}
    for e in events:
        if e.type == "wallet.balance_changed":
            firsts.setdefault(e.subject, e.sequence)
    assert set(firsts.values()) == {1_795_420_800_000}


def test_expense_events_follow_a_legal_life(decoded):
    """Attach only what came without receipt, export only what was ready, then nothing."""
    state: dict[str, dict] = {}
    for event in decoded:
        if not event.type.startswith("expense."):
            continue
        key, kind = event.data.expense_id, event.type.removeprefix("expense.")
        if kind == "created":
            assert key not in state
            state[key] = {"required": event.data.receipt_required,
                          "receipt": event.data.has_receipt, "waived": False, "ready": False}
            continue
        s = state[key]  # never an event about an unknown (or finished) expense
        assert not s.get("done"), f"{kind} after the expense was exported or deleted"
        if kind == "receipt_attached":
            assert not s["receipt"] and not s["waived"]
            s["receipt"] = True
        elif kind == "receipt_waived":
            assert s["required"] and not s["receipt"] and not s["waived"]
            s["waived"] = True
        elif kind == "ready_for_export":
            assert not s["ready"] and (s["receipt"] or s["waived"] or not s["required"])
            s["ready"] = True
        elif kind == "exported":
            assert s["ready"]
            s["done"] = True
        elif kind == "deleted":
            assert not s["ready"]
            s["done"] = True
    assert sum(1 for s in state.values() if s.get("done")) > 100


def test_wallet_goes_down_by_each_card_spend_and_never_below_zero(decoded):
    balance: dict[str, int] = {}
    downs = ups = 0
    for before, event in zip([None, *decoded], decoded, strict=False):
        if event.type != "wallet.balance_changed":
            continue
        client, new = event.envelope.subject, event.data.balance_minor
        assert new >= 0
        old = balance.get(client)
        if old is not None and new < old:
            # A debit is announced right after the expense that caused it.
            assert before.type == "expense.created" and before.envelope.subject == client
            assert old - new == before.data.amount_minor
            downs += 1
        elif old is not None and new > old:
            ups += 1
        balance[client] = new
    assert downs > 100 and ups > 5


def test_occurred_at_is_a_little_before_the_event(decoded):
    for event in decoded:
        if event.type == "expense.created":
            lag = event.envelope.time - event.data.occurred_at
            assert -1 < lag.total_seconds() <= 72 * 3600 + 1


def test_invitations_come_first_per_firm_with_real_looking_companies(plan):
    events = take(Simulation(plan), 4000)
    invitations = [e for e in events if e.type == "company.bookkeeper_invited"]
    assert events[: len(invitations)] == invitations
    assert Counter(e.data["firm_id"] for e in invitations) == {str(f): 4 for f in FIRMS}
    names = [e.data["client_name"] for e in invitations]
    assert len(set(names)) == len(names)
    assert all(e.data["registration_number"] and len(e.data["country"]) == 2
               for e in invitations)
    # Invited companies are platform customers too: they spend like the others.
    invited = {e.subject for e in invitations}
    assert invited & {e.subject for e in events if e.type == "expense.created"}


def test_given_client_ids_are_driven_once_each_in_order(plan):
    a, b = FIRMS  # any two UUIDs will do as client ids
    sim = Simulation(replace(plan, client_ids=(a, b, a), generated_clients=0,
                             invites_per_firm=0, firm_ids=()))
    assert list(sim.ledgers) == [a, b]
    assert {e.subject for e in take(sim, 300)} == {str(a), str(b)}
