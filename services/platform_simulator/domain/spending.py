"""What a small company spends on, in euro cents, and how its prepaid wallet is funded."""

import random
from dataclasses import dataclass

CURRENCY = "EUR"


@dataclass(frozen=True, slots=True)
class Category:
    name: str
    weight: int
    low_minor: int
    high_minor: int
    receipt_required_share: float


# Ranges are what such a purchase costs in the Netherlands or Denmark, give or take.
CATEGORIES = (
    Category("coffee", 18, 250, 1_800, 0.85),
    Category("lunch", 16, 900, 6_500, 0.95),
    Category("taxi", 10, 1_400, 9_500, 0.95),
    Category("fuel", 10, 3_500, 12_000, 0.95),
    Category("train", 8, 450, 18_000, 0.9),
    Category("office supplies", 10, 700, 25_000, 0.95),
    Category("software subscription", 10, 1_000, 60_000, 0.95),
    Category("parking", 8, 200, 4_500, 0.6),
    Category("hotel", 5, 8_900, 42_000, 1.0),
    Category("flight", 3, 6_900, 95_000, 1.0),
    Category("bank fee", 2, 100, 1_500, 0.0),
)
TOP_UPS_MINOR = (50_000, 100_000, 100_000, 250_000, 500_000)
OPENING_BALANCES_MINOR = (25_000, 80_000, 150_000, 300_000, 750_000, 1_500_000)
# Below this a finance person tops the wallet up soon: the wallet_balance task in the portal.
LOW_BALANCE_MINOR = 20_000
# Card payments come from the wallet; the rest (reimbursed out-of-pocket) does not.
WALLET_PAID_SHARE = 0.85
HAS_RECEIPT_AT_CREATION_SHARE = 0.4


@dataclass(frozen=True, slots=True)
class Purchase:
    category: str
    amount_minor: int
    receipt_required: bool
    has_receipt: bool
    wallet_paid: bool


def _amount(rng: random.Random, category: Category) -> int:
    # Skewed towards the low end: most lunches are cheap, a few are client dinners.
    share = rng.random() ** 2
    amount = category.low_minor + share * (category.high_minor - category.low_minor)
    # Prices end in round cents more often than not (x.95, x.50, x.00).
    return max(1, int(amount) // 5 * 5)


def new_purchase(rng: random.Random) -> Purchase:
    """One purchase: its category, amount, and whether a receipt is needed and already there."""
    category = rng.choices(CATEGORIES, weights=[c.weight for c in CATEGORIES])[0]
    required = rng.random() < category.receipt_required_share
    return Purchase(
        category=category.name,
        amount_minor=_amount(rng, category),
        receipt_required=required,
        has_receipt=rng.random() < HAS_RECEIPT_AT_CREATION_SHARE,
        wallet_paid=rng.random() < WALLET_PAID_SHARE,
    )


def top_up_amount(rng: random.Random) -> int:
    """How much a finance person moves into the wallet at once."""
    return rng.choice(TOP_UPS_MINOR)


def opening_balance(rng: random.Random) -> int:
    """The wallet balance a client has when the simulation first meets it."""
    return rng.choice(OPENING_BALANCES_MINOR)
