"""Which thing happens next at a client, weighted by what is plausible right now.

Follow-up work grows with its pile (more missing receipts, more chasing), so every
client's figures settle around a believable level instead of growing without end.
"""

import random

from services.platform_simulator.domain.ledger import ClientLedger
from services.platform_simulator.domain.spending import LOW_BALANCE_MINOR

ACTIONS = ("spend", "attach", "waive", "ready", "export", "delete", "top_up")


def weights(ledger: ClientLedger) -> dict[str, float]:
    """The relative chance of each action that is possible for this client now."""
    attachable = len(ledger.attachable())
    waivable = len(ledger.waivable())
    readyable = len(ledger.readyable())
    exportable = len(ledger.exportable())
    low = ledger.balance_minor < LOW_BALANCE_MINOR
    return {
        "spend": 40.0,
        "attach": min(25.0, 2.5 * attachable),
        "waive": min(3.0, 0.4 * waivable),
        "ready": min(18.0, 3.0 * readyable),
        "export": min(10.0, 1.5 * exportable),
        "delete": 1.5 if ledger.deletable() else 0.0,
        "top_up": 25.0 if low else 2.0,
    }


def pick(rng: random.Random, ledger: ClientLedger) -> str:
    """One action, drawn among the possible ones."""
    chances = weights(ledger)
    possible = [a for a in ACTIONS if chances[a] > 0]
    return rng.choices(possible, weights=[chances[a] for a in possible])[0]
