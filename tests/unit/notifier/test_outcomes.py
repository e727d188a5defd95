"""What an outcome counts: an attempt only when one was made."""

import uuid

from services.notifier.sender import outcomes


def _row(attempts: int) -> dict:
    return {"id": uuid.uuid4(), "kind": "reminder", "staff_id": uuid.uuid4(),
            "scheduled_for": None, "message_id": "<m@example.com>", "attempts": attempts}


def test_a_failure_after_a_try_counts_it_and_announces_every_attempt():
    outcome = outcomes.failed(_row(2), "550 no such user", topic="emails")
    assert outcome.tried and outcome.announce[1].data["attempts"] == 3


def test_giving_up_without_a_try_counts_nothing_more():
    outcome = outcomes.failed(_row(5), "attempts exhausted", topic="emails", tried=False)
    assert not outcome.tried and outcome.announce[1].data["attempts"] == 5


def test_an_unreachable_server_retry_counts_no_attempt():
    assert not outcomes.retry(_row(0), "cannot connect", delay=0, tried=False).tried
    assert outcomes.retry(_row(0), "451 later", delay=1).tried
