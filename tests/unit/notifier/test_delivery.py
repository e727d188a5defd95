"""Retry policy and the verdicts on an SMTP attempt or a recipient."""

import uuid
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from services.notifier.domain.delivery import RetryPolicy, Verdict, is_permanent, recipient_problem
from services.notifier.domain.emails import EmailToSend, Recipient


def test_backoff_doubles_with_jitter_and_stops_at_the_maximum():
    policy = RetryPolicy(max_attempts=5, base_seconds=10, max_seconds=60)
    for attempts, raw in ((1, 10), (2, 20), (3, 40), (4, 60), (9, 60)):
        assert 0.8 * raw <= policy.delay(attempts) <= 1.2 * raw


def test_temporary_failures_are_retried_until_the_last_attempt():
    policy = RetryPolicy(max_attempts=3)
    assert [policy.after_temporary_failure(n) for n in (1, 2, 3)] == [
        Verdict.RETRY, Verdict.RETRY, Verdict.FAILED]


@pytest.mark.parametrize("code, permanent", [(250, False), (421, False), (451, False),
                                             (452, False), (550, True), (554, True),
                                             (None, False)])
def test_only_5xx_is_permanent(code, permanent):
    assert is_permanent(code) is permanent


FIRM = uuid.uuid4()
RECIPIENT = Recipient(email="a@example.com", name="A", locale="en", active=True, firm_id=FIRM)


def _email(*, recipient=RECIPIENT, **overrides):
    now = datetime.now(UTC)
    email = EmailToSend(id=uuid.uuid4(), kind="digest", staff_id=uuid.uuid4(),
                        message_id="<m@example.com>", payload={"firm_id": str(FIRM)},
                        created_at=now, scheduled_for=now, recipient=recipient,
                        admin_name=None, attempts=0, lease_until=now)
    return replace(email, **overrides)


def test_recipient_checks():
    assert recipient_problem(_email()) is None
    assert recipient_problem(_email(recipient=None)) == (
        "recipient unknown to the notifier", False)
    assert recipient_problem(_email(recipient=replace(RECIPIENT, active=False)))[1] is True
    assert recipient_problem(_email(recipient=replace(RECIPIENT, firm_id=uuid.uuid4()))) == (
        "recipient belongs to another firm", True)
    assert recipient_problem(_email(kind="reminder"))[1] is False  # admin not known yet
    assert recipient_problem(_email(kind="reminder", admin_name="Anna")) is None
