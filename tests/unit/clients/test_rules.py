"""Notification settings and reminder requests as pure rules (verification steps: test_links.py)."""

import uuid
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from services.clients.domain.notifications import OFF, changed_preference
from services.clients.domain.reminders import fingerprint, normalised_tasks

CPH = ZoneInfo("Europe/Copenhagen")


def test_turning_email_on_sets_the_first_monday_and_keeping_it_on_keeps_it():
    wednesday = datetime(2026, 3, 25, 12, 0, tzinfo=UTC)
    on = changed_preference(OFF, email=True, frequency="daily", now=wednesday,
                            tz="Europe/Copenhagen", hour=10)
    assert on.first_digest_at == datetime(2026, 3, 30, 10, 0, tzinfo=CPH)  # CEST by then
    later = changed_preference(on, email=True, frequency="monthly",
                               now=datetime(2026, 4, 2, tzinfo=UTC), tz="Europe/Copenhagen",
                               hour=10)
    assert later.first_digest_at == on.first_digest_at and later.frequency == "monthly"
    off = changed_preference(later, email=False, frequency=None, now=wednesday,
                             tz="Europe/Copenhagen", hour=10)
    assert off.first_digest_at is None and off.frequency == "monthly"
    again = changed_preference(off, email=True, frequency=None,
                               now=datetime(2026, 4, 6, 9, 0, tzinfo=UTC),
                               tz="Europe/Copenhagen", hour=10)
    assert again.first_digest_at == datetime(2026, 4, 13, 10, 0, tzinfo=CPH)


def test_reminder_tasks_are_deduplicated_in_product_order_for_retries():
    assert normalised_tasks(["wallet_balance", "missing_receipts", "wallet_balance"]) == [
        "missing_receipts", "wallet_balance"]
    client = uuid.uuid4()
    assert fingerprint(client, ["wallet_balance", "missing_receipts"], "hi") == fingerprint(
        client, ["missing_receipts", "wallet_balance"], "hi")
    assert fingerprint(client, ["missing_receipts"], None) == fingerprint(
        client, ["missing_receipts"], "")
    assert fingerprint(client, ["missing_receipts"], "a") != fingerprint(
        client, ["missing_receipts"], "b")
