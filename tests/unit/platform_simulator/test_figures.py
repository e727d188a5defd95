"""The simulator's own figures are what the services' counting rule makes of its events."""

import pytest

from services.platform_simulator.domain.simulation import Simulation
from shared.events import decode
from shared.task_figures import EXPENSE_TYPES, fold_expense_events, latest_wallet_events
from tests.unit.platform_simulator.sample import take


def _figures_by_the_services_rule(events):
    decoded = [decode(e.to_bytes()) for e in events]
    figures: dict[str, dict] = {}
    for flags in fold_expense_events(e for e in decoded if e.type in EXPENSE_TYPES):
        f = figures.setdefault(str(flags.client_id), {"missing_receipts": 0,
                                                      "ready_for_export": 0})
        alive = flags.created and not flags.deleted
        f["missing_receipts"] += alive and flags.receipt_required and not (
            flags.has_receipt or flags.waived)
        f["ready_for_export"] += alive and flags.ready and not flags.exported
    for event in latest_wallet_events(e for e in decoded if e.type == "wallet.balance_changed"):
        figures.setdefault(str(event.data.client_id), {"missing_receipts": 0,
                                                       "ready_for_export": 0})
        figures[str(event.data.client_id)]["wallet_balance_minor"] = event.data.balance_minor
    return figures


@pytest.mark.parametrize("count", [1, 2, 37, 501, 4000])
def test_figures_match_the_events_taken_so_far(plan, count):
    sim = Simulation(plan)
    expected = _figures_by_the_services_rule(take(sim, count))
    got = {client: {k: v for k, v in f.items() if k != "currency"}
           for client, f in sim.figures().items()}
    assert got == expected


def test_figures_are_believable_for_a_portal(plan):
    sim = Simulation(plan)
    take(sim, 6000)
    figures = sim.figures().values()
    # Work piles up but settles: some clients have missing receipts, none has hundreds.
    assert sum(f["missing_receipts"] > 0 for f in figures) >= len(figures) // 2
    assert max(f["missing_receipts"] for f in figures) < 60
    assert any(f["ready_for_export"] > 0 for f in figures)
