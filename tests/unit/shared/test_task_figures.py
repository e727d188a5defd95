"""Folding expense events into per-expense flags: duplicates and order do not matter."""

import itertools
import uuid
from datetime import UTC, datetime

from shared.events import Event, encode
from shared.events import schemas as s
from shared.task_figures import fold_expense_events, latest_wallet_events

CLIENT = uuid.uuid4()


def _event(type_, model, **data):
    payload = model(client_id=CLIENT, **data)
    return Event(envelope=encode(type_, payload, source="/t", subject=str(CLIENT)), data=payload)


def _created(expense_id, has_receipt=False):
    return _event("expense.created", s.ExpenseCreated, expense_id=expense_id, amount_minor=100,
                  currency="EUR", receipt_required=True, has_receipt=has_receipt,
                  occurred_at=datetime(2026, 11, 2, tzinfo=UTC))


def _missing(flags):
    return (flags.created and flags.receipt_required and not flags.has_receipt
            and not flags.waived and not flags.deleted)


def test_any_order_and_duplicates_give_the_same_state():
    events = [_created("e1"),
              _event("expense.receipt_attached", s.ExpenseReceiptAttached, expense_id="e1"),
              _event("expense.ready_for_export", s.ExpenseReadyForExport, expense_id="e1")]
    results = {repr(fold_expense_events(list(order) + [order[0]]))
               for order in itertools.permutations(events)}
    assert len(results) == 1
    (flags,) = fold_expense_events(events)
    assert flags.has_receipt and flags.ready and not _missing(flags)


def test_receipt_attached_before_created_is_not_missing():
    (flags,) = fold_expense_events([
        _event("expense.receipt_attached", s.ExpenseReceiptAttached, expense_id="e2"),
        _created("e2")])
    assert not _missing(flags)


def test_created_without_receipt_is_missing_until_waived():
    (flags,) = fold_expense_events([_created("e3")])
    assert _missing(flags)
    (flags,) = fold_expense_events([_created("e3"),
                                    _event("expense.receipt_waived", s.ExpenseReceiptWaived,
                                           expense_id="e3")])
    assert not _missing(flags)


def test_latest_wallet_event_wins_by_sequence_not_arrival():
    def wallet(seq, balance):
        data = s.WalletBalanceChanged(client_id=CLIENT, balance_minor=balance, currency="EUR")
        env = encode("wallet.balance_changed", data, source="/t", subject=str(CLIENT),
                     sequence=seq)
        return Event(envelope=env, data=data)

    (latest,) = latest_wallet_events([wallet(3, 300), wallet(5, 500), wallet(4, 400)])
    assert latest.data.balance_minor == 500
