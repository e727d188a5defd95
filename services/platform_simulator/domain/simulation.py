"""The event stream of a seeded simulation: same plan, same events, byte for byte.

Every random draw (ids included) comes from one `random.Random(seed)`, and the envelope
`time` is a simulated clock (`start_time + n * step`), so nothing depends on the machine.
Each ledger change is made just before the event announcing it is yielded: a consumer that
stops early leaves the ledgers matching exactly the events it took.
"""

import random
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta
from itertools import accumulate
from uuid import UUID

from pydantic import BaseModel

from services.platform_simulator.domain import activity
from services.platform_simulator.domain.companies import new_company
from services.platform_simulator.domain.ledger import ClientLedger, Expense
from services.platform_simulator.domain.plan import Plan
from services.platform_simulator.domain.spending import (
    new_purchase,
    opening_balance,
    top_up_amount,
)
from shared.events import EVENT_TYPES, CloudEvent, new_event
from shared.events import schemas as s

SOURCES = {
    "platform.expenses.v1": "/platform/expenses",
    "platform.wallets.v1": "/platform/wallets",
    "platform.companies.v1": "/platform/companies",
}


class Simulation:
    """Clients with ledgers, and the events that move them."""

    def __init__(self, plan: Plan):
        self.plan = plan
        self.rng = random.Random(plan.seed)
        self.emitted = 0
        given = list(dict.fromkeys(plan.client_ids))
        generated = [self._uuid() for _ in range(plan.generated_clients)]
        self._invitations = self._new_invitations()
        invited = [inv.client_id for inv in self._invitations]
        self.ledgers = {cid: ClientLedger(cid) for cid in [*given, *generated, *invited]}
        # Some clients are busy, most are quiet: a heavy-tailed share of the activity each.
        self._order = list(self.ledgers.values())
        self._cum_weights = list(accumulate(
            min(self.rng.paretovariate(1.2), 25.0) for _ in self._order))

    def _uuid(self) -> UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def _new_invitations(self) -> list[s.CompanyBookkeeperInvited]:
        taken: set[str] = set()
        invitations = []
        for firm_id in self.plan.firm_ids:
            for _ in range(self.plan.invites_per_firm):
                company = new_company(self.rng, taken)
                invitations.append(s.CompanyBookkeeperInvited(
                    client_id=self._uuid(), firm_id=firm_id, client_name=company.name,
                    registration_number=company.registration_number, country=company.country))
        return invitations

    @property
    def now(self) -> datetime:
        """The simulated time of the next event."""
        return self.plan.start_time + self.emitted * self.plan.step

    def events(self) -> Iterator[CloudEvent]:
        """Invitations first, then client activity, for ever: the caller decides when to stop."""
        for invitation in self._invitations:
            yield self._event("company.bookkeeper_invited", invitation, invitation.client_id)
        while True:
            ledger = self.rng.choices(self._order, cum_weights=self._cum_weights)[0]
            yield from self._step(ledger)

    def figures(self) -> dict[str, dict]:
        """Per client touched so far: the task figures its events add up to (PRODUCT 4)."""
        return {
            str(ledger.client_id): {
                "missing_receipts": ledger.missing_receipts,
                "ready_for_export": ledger.ready_for_export,
                "wallet_balance_minor": ledger.balance_minor,
                "currency": ledger.currency,
            }
            for ledger in self._order if ledger.wallet_opened
        }

    def _event(self, type_: str, data: BaseModel, subject: UUID,
               sequence: int | None = None) -> CloudEvent:
        kind = EVENT_TYPES[type_]
        if not isinstance(data, kind.model):
            raise TypeError(f"{type_} carries {kind.model.__name__}")
        event = new_event(type_, source=SOURCES[kind.topic], subject=str(subject), data=data,
                          sequence=sequence, event_id=str(self._uuid()), time=self.now)
        self.emitted += 1
        return event

    def _step(self, ledger: ClientLedger) -> Iterator[CloudEvent]:
        if not ledger.wallet_opened:
            # The first time we meet a client its wallet already holds money.
            ledger.wallet_opened = True
            ledger.balance_minor = opening_balance(self.rng)
            yield self._wallet_event(ledger)
        action = activity.pick(self.rng, ledger)
        yield from getattr(self, f"_{action}")(ledger)

    def _wallet_event(self, ledger: ClientLedger) -> CloudEvent:
        data = s.WalletBalanceChanged(client_id=ledger.client_id,
                                      balance_minor=ledger.balance_minor,
                                      currency=ledger.currency)
        sequence = ledger.next_sequence(self.plan.sequence_start)
        return self._event("wallet.balance_changed", data, ledger.client_id, sequence)

    def _expense_event(self, type_: str, ledger: ClientLedger, expense: Expense) -> CloudEvent:
        data = EVENT_TYPES[type_].model(expense_id=expense.expense_id, client_id=ledger.client_id)
        return self._event(type_, data, ledger.client_id)

    def _occurred_at(self) -> datetime:
        # Card payments reach the platform within minutes; out-of-pocket ones days later.
        hours = self.rng.random() ** 3 * 72
        return (self.now - timedelta(hours=hours)).replace(microsecond=0)

    def _spend(self, ledger: ClientLedger) -> Iterator[CloudEvent]:
        purchase = new_purchase(self.rng)
        if purchase.wallet_paid and ledger.balance_minor < purchase.amount_minor:
            # The card would be declined: the finance person tops up first.
            yield from self._top_up(ledger)
        expense = Expense(expense_id=f"exp_{self.rng.getrandbits(48):012x}",
                          amount_minor=purchase.amount_minor,
                          receipt_required=purchase.receipt_required,
                          has_receipt=purchase.has_receipt)
        ledger.expenses[expense.expense_id] = expense
        yield self._event("expense.created", s.ExpenseCreated(
            expense_id=expense.expense_id, client_id=ledger.client_id,
            amount_minor=expense.amount_minor, currency=ledger.currency,
            receipt_required=expense.receipt_required, has_receipt=expense.has_receipt,
            occurred_at=self._occurred_at()), ledger.client_id)
        if purchase.wallet_paid:
            ledger.balance_minor -= purchase.amount_minor
            yield self._wallet_event(ledger)

    def _top_up(self, ledger: ClientLedger) -> Iterator[CloudEvent]:
        ledger.balance_minor += top_up_amount(self.rng)
        yield self._wallet_event(ledger)

    def _attach(self, ledger: ClientLedger) -> Iterator[CloudEvent]:
        expense = self.rng.choice(ledger.attachable())
        expense.has_receipt = True
        yield self._expense_event("expense.receipt_attached", ledger, expense)

    def _waive(self, ledger: ClientLedger) -> Iterator[CloudEvent]:
        expense = self.rng.choice(ledger.waivable())
        expense.waived = True
        yield self._expense_event("expense.receipt_waived", ledger, expense)

    def _ready(self, ledger: ClientLedger) -> Iterator[CloudEvent]:
        candidates = ledger.readyable()
        # A bookkeeper reviews a few at a time.
        for expense in self.rng.sample(candidates, k=min(len(candidates), self.rng.randint(1, 3))):
            expense.ready = True
            yield self._expense_event("expense.ready_for_export", ledger, expense)

    def _export(self, ledger: ClientLedger) -> Iterator[CloudEvent]:
        # An export to the accounting package takes everything that is ready, in one go.
        for expense in ledger.exportable()[:10]:
            ledger.forget(expense.expense_id)
            yield self._expense_event("expense.exported", ledger, expense)

    def _delete(self, ledger: ClientLedger) -> Iterator[CloudEvent]:
        expense = self.rng.choice(ledger.deletable())
        ledger.forget(expense.expense_id)
        yield self._expense_event("expense.deleted", ledger, expense)
