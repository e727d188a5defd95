"""POST/GET /internal/v1/cases: opening is idempotent per (client, firm); reading shows history."""

import asyncio
import uuid

import pytest


async def test_open_case_starts_invited_with_one_history_entry(calls, db_rows):
    client_id, firm_id = uuid.uuid4(), uuid.uuid4()
    response = await calls.open_case(client_id=client_id, firm_id=firm_id,
                                     contact_email="Owner@Example.com")
    assert response.status_code == 201
    body = response.json()
    assert body["state"] == "invited"
    assert (body["client_id"], body["firm_id"]) == (str(client_id), str(firm_id))

    case = await calls.read_case(body["case_id"])
    assert case["contact_email"] == "Owner@Example.com"
    assert [(h["from_state"], h["to_state"], h["source"]) for h in case["history"]] == [
        (None, "invited", "internal")]
    assert await db_rows(body["case_id"]) == {"state": "invited", "history": 1, "outbox": 1}


async def test_repeat_returns_the_same_case_and_announces_nothing_new(calls, db_rows):
    client_id, firm_id = uuid.uuid4(), uuid.uuid4()
    first = await calls.open_case(client_id=client_id, firm_id=firm_id)
    again = await calls.open_case(client_id=client_id, firm_id=firm_id,
                                  contact_email="someone.else@example.com")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["case_id"] == first.json()["case_id"]
    assert await db_rows(first.json()["case_id"]) == {"state": "invited", "history": 1,
                                                      "outbox": 1}


async def test_same_client_with_another_firm_gets_another_case(calls):
    client_id = uuid.uuid4()
    one = await calls.open_case(client_id=client_id, firm_id=uuid.uuid4())
    two = await calls.open_case(client_id=client_id, firm_id=uuid.uuid4())
    assert (one.status_code, two.status_code) == (201, 201)
    assert one.json()["case_id"] != two.json()["case_id"]


async def test_case_id_chosen_by_the_caller_is_used_and_kept_on_repeat(calls):
    client_id, firm_id, case_id = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    first = await calls.open_case(client_id=client_id, firm_id=firm_id, case_id=case_id)
    assert first.status_code == 201
    assert first.json()["case_id"] == str(case_id)
    # A retry that generated another id still gets the case that exists.
    again = await calls.open_case(client_id=client_id, firm_id=firm_id, case_id=uuid.uuid4())
    assert again.status_code == 200
    assert again.json()["case_id"] == str(case_id)


async def test_case_id_of_another_client_is_a_conflict(calls, pool):
    case_id = uuid.uuid4()
    assert (await calls.open_case(case_id=case_id)).status_code == 201
    response = await calls.open_case(case_id=case_id)  # new client, new firm, same id
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "case_id_taken"
    assert await pool.fetchval(
        "select count(*) from onboarding.verification_cases where id = $1", case_id) == 1


async def test_concurrent_opens_create_one_case(calls, db_rows):
    client_id, firm_id = uuid.uuid4(), uuid.uuid4()
    responses = await asyncio.gather(*(calls.open_case(client_id=client_id, firm_id=firm_id,
                                                       case_id=uuid.uuid4())
                                       for _ in range(8)))
    assert sorted(r.status_code for r in responses) == [200] * 7 + [201]
    assert len({r.json()["case_id"] for r in responses}) == 1
    assert (await db_rows(responses[0].json()["case_id"]))["outbox"] == 1


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"},
                                     {"Authorization": "Basic abc"}])
async def test_internal_routes_need_the_internal_token(calls, pool, headers):
    client_id = uuid.uuid4()
    body = {"client_id": str(client_id), "firm_id": str(uuid.uuid4()),
            "contact_email": "a@example.com"}
    response = await calls.http.post("/internal/v1/cases", json=body, headers=headers)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"
    assert await pool.fetchval(
        "select count(*) from onboarding.verification_cases where client_id = $1", client_id) == 0
    existing = await calls.new_case()
    read = await calls.http.get(f"/internal/v1/cases/{existing['case_id']}", headers=headers)
    assert read.status_code == 401


@pytest.mark.parametrize("body", [
    {"firm_id": str(uuid.uuid4()), "contact_email": "a@example.com"},
    {"client_id": "not-a-uuid", "firm_id": str(uuid.uuid4()), "contact_email": "a@example.com"},
    {"client_id": str(uuid.uuid4()), "firm_id": str(uuid.uuid4()), "contact_email": "nope"},
    {"client_id": str(uuid.uuid4()), "firm_id": str(uuid.uuid4()), "contact_email": "a@b.c",
     "case_id": 12},
    [1, 2],
])
async def test_bad_open_body_is_422_in_the_error_shape(calls, body):
    response = await calls.http.post("/internal/v1/cases", json=body,
                                     headers=calls.internal_headers)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_error"


async def test_non_json_open_body_is_422(calls):
    response = await calls.http.post(
        "/internal/v1/cases", content=b"{oops",
        headers={**calls.internal_headers, "Content-Type": "application/json"})
    assert response.status_code == 422
    assert "error" in response.json()


async def test_reading_an_unknown_or_malformed_case_id(calls):
    missing = await calls.http.get(f"/internal/v1/cases/{uuid.uuid4()}",
                                   headers=calls.internal_headers)
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "case_not_found"
    malformed = await calls.http.get("/internal/v1/cases/xyz", headers=calls.internal_headers)
    assert malformed.status_code == 422
    assert malformed.json()["error"]["code"] == "validation_error"
