"""POST /webhooks/verification against the real database: transitions, signatures, replays."""

import asyncio
import itertools
import json
import uuid

import pytest

from services.onboarding.domain.webhook_signature import sign

# Webhook events that bring a fresh (invited) case into each state.
PATH_TO = {
    "invited": (),
    "in_review": ("submitted",),
    "verified": ("submitted", "approved"),
    "rejected": ("submitted", "rejected"),
    "expired": ("expired",),
}
LEGAL_PATHS = [
    ("submitted",), ("submitted", "approved"), ("submitted", "rejected"), ("rejected",),
    ("expired",),
    ("submitted", "expired"),
]
NEXT = {"submitted": "in_review", "approved": "verified", "rejected": "rejected",
        "expired": "expired"}
ILLEGAL = sorted(
    (state, event) for state, event in itertools.product(PATH_TO, NEXT)
    if NEXT[event] != state and (state, NEXT[event]) not in {
        ("invited", "in_review"), ("invited", "rejected"), ("invited", "expired"),
        ("in_review", "verified"),
        ("in_review", "rejected"), ("in_review", "expired")})


@pytest.mark.parametrize("path", LEGAL_PATHS, ids="-".join)
async def test_legal_path_moves_the_case_and_records_each_step(calls, db_rows, path):
    case = await calls.new_case()
    states = ["invited"]
    for event in path:
        response = await calls.webhook(case["case_id"], event, reason=f"because {event}")
        assert response.status_code == 200, response.text
        assert response.json() == {"case_id": case["case_id"], "state": NEXT[event],
                                   "applied": True}
        states.append(NEXT[event])
    detail = await calls.read_case(case["case_id"])
    assert detail["state"] == states[-1]
    assert [(h["from_state"], h["to_state"]) for h in detail["history"]] == list(
        zip([None, *states[:-1]], states))
    assert [h["source"] for h in detail["history"]] == ["internal"] + ["webhook"] * len(path)
    assert detail["history"][-1]["reason"] == f"because {path[-1]}"
    assert all(h["webhook_sha256"] for h in detail["history"][1:])
    assert await db_rows(case["case_id"]) == {"state": states[-1], "history": len(states),
                                              "outbox": len(states)}


def test_the_illegal_list_is_complete():
    assert len(ILLEGAL) == 10
    assert ("rejected", "approved") in ILLEGAL and ("expired", "submitted") in ILLEGAL


@pytest.mark.parametrize("state, event", ILLEGAL)
async def test_illegal_transition_is_409_and_changes_nothing(calls, db_rows, state, event):
    case = await calls.new_case()
    await calls.drive(case["case_id"], *PATH_TO[state])
    before = await db_rows(case["case_id"])
    # A new body (not a byte-for-byte replay of a webhook that was applied before).
    response = await calls.webhook(case["case_id"], event, reason="a later decision")
    assert response.status_code == 409, response.text
    error = response.json()["error"]
    assert error["code"] == "illegal_transition"
    assert state in error["message"]
    assert error["details"] == {"current_state": state, "event": event,
                                "requested_state": NEXT[event]}
    assert await db_rows(case["case_id"]) == before


async def test_exact_replay_is_200_and_changes_nothing(calls, db_rows):
    case = await calls.new_case()
    raw = json.dumps({"case_id": case["case_id"], "event": "submitted"}).encode()
    assert (await calls.webhook_raw(raw)).json()["applied"] is True
    before = await db_rows(case["case_id"])
    replay = await calls.webhook_raw(raw)
    assert replay.status_code == 200
    assert replay.json() == {"case_id": case["case_id"], "state": "in_review", "applied": False}
    assert await db_rows(case["case_id"]) == before


async def test_replay_of_an_older_webhook_after_the_case_moved_on_is_harmless(calls, db_rows):
    case = await calls.new_case()
    submitted = json.dumps({"case_id": case["case_id"], "event": "submitted"}).encode()
    await calls.webhook_raw(submitted)
    await calls.drive(case["case_id"], "approved")
    before = await db_rows(case["case_id"])
    replay = await calls.webhook_raw(submitted)  # the provider retries a delivered webhook
    assert replay.status_code == 200
    assert replay.json()["state"] == "verified" and replay.json()["applied"] is False
    assert await db_rows(case["case_id"]) == before


async def test_same_event_again_with_another_body_is_a_replay(calls, db_rows):
    case = await calls.new_case()
    await calls.drive(case["case_id"], "submitted", "rejected")
    before = await db_rows(case["case_id"])
    again = await calls.webhook(case["case_id"], "rejected", reason="second delivery")
    assert again.status_code == 200 and again.json()["applied"] is False
    assert await db_rows(case["case_id"]) == before


@pytest.mark.parametrize("signature", [
    None, "", "sha256=", "sha256=" + "0" * 64, "garbage",
    "wrong-secret", "tampered",
])
async def test_missing_or_bad_signature_is_401_and_changes_nothing(calls, db_rows, signature):
    case = await calls.new_case()
    before = await db_rows(case["case_id"])
    raw = json.dumps({"case_id": case["case_id"], "event": "submitted"}).encode()
    if signature == "wrong-secret":
        signature = sign(raw, "not-the-secret")
    elif signature == "tampered":  # signed for another body
        signature = sign(raw.replace(b"submitted", b"expired"), calls.webhook_secret)
    response = await calls.webhook_raw(raw, signature=signature)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_signature"
    assert await db_rows(case["case_id"]) == before


async def test_bad_signature_wins_over_a_malformed_body(calls):
    response = await calls.webhook_raw(b"{not json", signature="sha256=" + "1" * 64)
    assert response.status_code == 401


@pytest.mark.parametrize("raw", [
    b"", b"{not json", b"[]", b'{"event": "approved"}', b'{"case_id": "x", "event": "approved"}',
    b'{"case_id": "7f8e1a2b-0000-4000-8000-000000000000", "event": "teleported"}',
])
async def test_malformed_signed_body_is_422(calls, raw):
    response = await calls.webhook_raw(raw)
    assert response.status_code == 422, response.text
    assert response.json()["error"]["code"] == "validation_error"


async def test_signed_webhook_for_an_unknown_case_is_404(calls):
    response = await calls.webhook(uuid.uuid4(), "approved")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "case_not_found"


async def test_concurrent_deliveries_of_one_event_apply_once(calls, db_rows):
    case = await calls.new_case()
    responses = await asyncio.gather(*(calls.webhook(case["case_id"], "submitted",
                                                     reason=f"delivery {n}") for n in range(6)))
    assert all(r.status_code == 200 for r in responses)
    assert sum(r.json()["applied"] for r in responses) == 1
    assert await db_rows(case["case_id"]) == {"state": "in_review", "history": 2, "outbox": 2}
