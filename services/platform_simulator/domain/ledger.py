"""What the simulated platform knows of one client: its open expenses and its wallet.

The ledger decides which follow-up events are legal, so that the event stream never
attaches a receipt twice, exports an expense that was never marked ready, or touches a
deleted one. Exported and deleted expenses leave the ledger: nothing more happens to them.
"""

from dataclasses import dataclass, field
from uuid import UUID

from services.platform_simulator.domain.spending import CURRENCY


@dataclass(slots=True)
class Expense:
    expense_id: str
    amount_minor: int
    receipt_required: bool
    has_receipt: bool
    waived: bool = False
    ready: bool = False

    @property
    def missing_receipt(self) -> bool:
        return self.receipt_required and not self.has_receipt and not self.waived

    @property
    def can_attach(self) -> bool:
        return not self.has_receipt and not self.waived and not self.ready

    @property
    def can_mark_ready(self) -> bool:
        # A bookkeeper only books what is complete: a receipt, a waiver, or none needed.
        return not self.ready and not self.missing_receipt


@dataclass(slots=True)
class ClientLedger:
    client_id: UUID
    balance_minor: int = 0
    last_sequence: int = 0
    wallet_opened: bool = False
    expenses: dict[str, Expense] = field(default_factory=dict)
    currency: str = CURRENCY

    def attachable(self) -> list[Expense]:
        return [e for e in self.expenses.values() if e.can_attach]

    def waivable(self) -> list[Expense]:
        return [e for e in self.expenses.values() if e.missing_receipt]

    def readyable(self) -> list[Expense]:
        return [e for e in self.expenses.values() if e.can_mark_ready]

    def exportable(self) -> list[Expense]:
        return [e for e in self.expenses.values() if e.ready]

    def deletable(self) -> list[Expense]:
        # A duplicate or a personal purchase is deleted before it is booked, not after.
        return [e for e in self.expenses.values() if not e.ready]

    def forget(self, expense_id: str) -> None:
        """Exported or deleted: no further event can concern this expense."""
        del self.expenses[expense_id]

    def next_sequence(self, start: int) -> int:
        """The wallet event sequence after the last one, the first being `start`."""
        self.last_sequence = max(self.last_sequence + 1, start)
        return self.last_sequence

    @property
    def missing_receipts(self) -> int:
        return sum(e.missing_receipt for e in self.expenses.values())

    @property
    def ready_for_export(self) -> int:
        return sum(e.ready for e in self.expenses.values())
