"""Counting what was sent, and saying it in a progress line and a closing summary."""

from collections import Counter
from dataclasses import dataclass, field

from shared.events import CloudEvent

# The order a reader expects: the life of an expense, then wallets, then companies.
TYPE_ORDER = (
    "expense.created", "expense.receipt_attached", "expense.receipt_waived",
    "expense.ready_for_export", "expense.exported", "expense.deleted",
    "wallet.balance_changed", "company.bookkeeper_invited",
)
SHORT = {t: t.split(".", 1)[1] for t in TYPE_ORDER}


@dataclass
class Tally:
    by_type: Counter = field(default_factory=Counter)
    by_topic: Counter = field(default_factory=Counter)
    clients: set[str] = field(default_factory=set)
    expenses_without_receipt: int = 0
    wallet_ups: int = 0
    wallet_downs: int = 0
    _balances: dict[str, int] = field(default_factory=dict)

    def add(self, topic: str, event: CloudEvent) -> None:
        self.by_type[event.type] += 1
        self.by_topic[topic] += 1
        self.clients.add(event.subject)
        if event.type == "expense.created" and not event.data["has_receipt"]:
            self.expenses_without_receipt += 1
        if event.type == "wallet.balance_changed":
            self._count_wallet_move(event.subject, event.data["balance_minor"])

    def _count_wallet_move(self, client: str, balance: int) -> None:
        before = self._balances.get(client)
        self._balances[client] = balance
        if before is not None and balance > before:
            self.wallet_ups += 1
        elif before is not None and balance < before:
            self.wallet_downs += 1

    @property
    def total(self) -> int:
        return sum(self.by_type.values())

    def progress_line(self, elapsed: float) -> str:
        """One line for stderr while the run goes on."""
        rate = self.total / elapsed if elapsed > 0 else 0.0
        counts = " ".join(f"{SHORT.get(t, t)}={self.by_type[t]}"
                          for t in TYPE_ORDER if self.by_type[t])
        return f"[{elapsed:7.1f}s] {self.total} events ({rate:.1f}/s) {counts}"

    def summary(self, *, elapsed: float, seed: int, target: str,
                missing_receipts: int, ready_for_export: int, clients_planned: int) -> str:
        """The closing report: what went where, how fast, and what is outstanding now."""
        rate = self.total / elapsed if elapsed > 0 else 0.0
        lines = [
            f"platform simulator: {self.total} events to {target} in {elapsed:.1f}s "
            f"({rate:.1f} events/s), seed {seed}",
            f"  clients: {len(self.clients)} with events, of {clients_planned}",
        ]
        lines += [f"  {t:<28}{self.by_type[t]:>8}" for t in TYPE_ORDER if self.by_type[t]]
        lines += [f"  {t:<28}{n:>8}" for t, n in sorted(self.by_type.items())
                  if t not in TYPE_ORDER]
        width = max((len(t) for t in self.by_topic), default=0) + 2
        lines += [f"  topic {t:<{width}}{n:>8}" for t, n in sorted(self.by_topic.items())]
        lines.append(f"  expenses created without receipt: {self.expenses_without_receipt}; "
                     f"wallet moves: {self.wallet_downs} down, {self.wallet_ups} up")
        lines.append(f"  outstanding from this run: {missing_receipts} missing receipts, "
                     f"{ready_for_export} ready for export")
        return "\n".join(lines)
