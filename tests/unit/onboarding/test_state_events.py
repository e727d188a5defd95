"""The `verification.state_changed` event is a valid contract event keyed by client."""

import uuid
from datetime import UTC, datetime

from services.onboarding.domain.state_events import state_changed_event
from shared.events import decode


def _event(**overrides):
    args = dict(case_id=uuid.uuid4(), client_id=uuid.uuid4(), firm_id=uuid.uuid4(),
                from_state="invited", to_state="in_review", reason=None, version=2,
                at=datetime(2026, 11, 26, 15, 30, tzinfo=UTC))
    args.update(overrides)
    return args, state_changed_event(**args)


def test_event_decodes_as_the_contract_type_with_client_subject():
    args, envelope = _event()
    event = decode(envelope.to_bytes())
    assert event.type == "verification.state_changed"
    assert envelope.subject == str(args["client_id"])
    assert envelope.key == str(args["client_id"]).encode()
    assert envelope.source == "/onboarding"
    assert envelope.sequence == 2
    assert event.data.case_id == args["case_id"]
    assert (event.data.from_state, event.data.to_state) == ("invited", "in_review")


def test_opening_has_null_from_state_and_reason_only_when_given():
    _, opened = _event(from_state=None, to_state="invited", version=1)
    assert opened.data["from_state"] is None
    assert "reason" not in opened.data
    _, rejected = _event(from_state="in_review", to_state="rejected", reason="bad documents")
    assert decode(rejected.to_bytes()).data.reason == "bad documents"


def test_each_event_has_its_own_id():
    assert _event()[1].id != _event()[1].id


def test_opening_event_survives_the_outbox_round_trip_with_null_from_state():
    from shared.events import CloudEvent

    _, opened = _event(from_state=None, to_state="invited", version=1)
    stored = opened.model_dump(mode="json", exclude_none=True)  # as shared.db.outbox stores it
    relayed = CloudEvent.model_validate(stored).to_bytes()  # as the relay publishes it
    event = decode(relayed)
    assert event.data.from_state is None and event.data.to_state == "invited"
