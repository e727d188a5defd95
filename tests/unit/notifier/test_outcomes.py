"""What an outcome counts: an attempt only when one was made."""

import uuid
from datetime import UTC, datetime

from services.notifier.domain.emails import EmailToSend
from services.notifier.sender import outcomes


def _row(attempts: int) -> EmailToSend:
    return EmailToSend(id=uuid.uuid4(), kind="reminder", staff_id=uuid.uuid4(),
                       message_id="<m@example.com>", payload={}, created_at=datetime.now(UTC),
                       scheduled_for=None, recipient=None, admin_name=None,
                       attempts=attempts, lease_until=datetime.now(UTC))


def test_a_failure_after_a_try_counts_it_and_announces_every_attempt():
    outcome = outcomes.failed(_row(2), "550 no such user", topic="emails")
    assert outcome.tried and outcome.announce[1].data["attempts"] == 3


def test_giving_up_without_a_try_counts_nothing_more():
    outcome = outcomes.failed(_row(5), "attempts exhausted", topic="emails", tried=False)
    assert not outcome.tried and outcome.announce[1].data["attempts"] == 5


def test_an_unreachable_server_retry_counts_no_attempt():
    assert not outcomes.retry(_row(0), "cannot connect", delay=0, tried=False).tried
    assert outcomes.retry(_row(0), "451 later", delay=1).tried
