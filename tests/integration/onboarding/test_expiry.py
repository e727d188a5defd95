"""The expiry job: open cases older than the configured age expire, one process at a time.

Cases here are backdated to the year 2000 and the job is driven with `now` in 2000, so it
touches no case of other tests running against the same database.
"""

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

from services.onboarding.service_layer.expiry_job import ExpiryJob

OPENED = datetime(2000, 1, 1, 12, tzinfo=UTC)
THIRTY_DAYS = timedelta(days=30)


async def _backdate(pool, *case_ids) -> None:
    await pool.execute("update onboarding.verification_cases set created_at = $2"
                       " where id = any($1::uuid[])", [uuid.UUID(c) for c in case_ids], OPENED)


def _job(app, **overrides) -> ExpiryJob:
    args = dict(max_age=THIRTY_DAYS, interval=3600, batch_size=500)
    args.update(overrides)
    return ExpiryJob(app.state.cases, **args)


async def test_open_cases_expire_after_the_age_and_final_ones_do_not(
        onboarding_app, calls, pool, db_rows, topic_reader):
    invited, in_review, verified = [await calls.new_case() for _ in range(3)]
    await calls.drive(in_review["case_id"], "submitted")
    await calls.drive(verified["case_id"], "submitted", "approved")
    ids = [c["case_id"] for c in (invited, in_review, verified)]
    await _backdate(pool, *ids)
    job = _job(onboarding_app)

    await job.run_once(now=OPENED + THIRTY_DAYS - timedelta(minutes=1))
    assert [(await db_rows(i))["state"] for i in ids] == ["invited", "in_review", "verified"]

    expired_count = await job.run_once(now=OPENED + THIRTY_DAYS + timedelta(minutes=1))
    assert expired_count >= 2
    assert [(await db_rows(i))["state"] for i in ids] == ["expired", "expired", "verified"]
    detail = await calls.read_case(in_review["case_id"])
    last = detail["history"][-1]
    assert (last["from_state"], last["to_state"], last["source"]) == (
        "in_review", "expired", "expiry")
    assert "30 days" in last["reason"]
    events = await topic_reader.wait_for_case(in_review["case_id"], 3)
    assert (events[-1]["data"]["from_state"], events[-1]["data"]["to_state"]) == (
        "in_review", "expired")


async def test_anything_after_expiry_is_409(onboarding_app, calls, pool):
    case = await calls.new_case()
    await _backdate(pool, case["case_id"])
    await _job(onboarding_app).run_once(now=OPENED + timedelta(days=31))
    for event in ("submitted", "approved", "rejected"):
        response = await calls.webhook(case["case_id"], event)
        assert response.status_code == 409
        assert response.json()["error"]["code"] == "illegal_transition"


async def test_age_is_configurable(onboarding_app, calls, pool, db_rows):
    case = await calls.new_case()
    await _backdate(pool, case["case_id"])
    await _job(onboarding_app, max_age=timedelta(days=7)).run_once(
        now=OPENED + timedelta(days=8))
    assert (await db_rows(case["case_id"]))["state"] == "expired"


async def test_only_one_process_runs_the_job_at_a_time(onboarding_app, calls, pool, db_rows):
    case = await calls.new_case()
    await _backdate(pool, case["case_id"])
    async with pool.acquire() as other_process, other_process.transaction():
        # Another process is running the job: it holds the job's advisory lock.
        await other_process.execute(
            "select pg_advisory_xact_lock(hashtext('onboarding:' || 'expiry'))")
        skipped = await _job(onboarding_app).run_once(now=OPENED + timedelta(days=31))
        assert skipped is None
        assert (await db_rows(case["case_id"]))["state"] == "invited"
    assert await _job(onboarding_app).run_once(now=OPENED + timedelta(days=31)) >= 1
    assert (await db_rows(case["case_id"]))["state"] == "expired"


async def test_a_run_works_through_every_batch(onboarding_app, calls, pool, db_rows):
    cases = [await calls.new_case() for _ in range(5)]
    await _backdate(pool, *(c["case_id"] for c in cases))
    await _job(onboarding_app, batch_size=2).run_once(now=OPENED + timedelta(days=31))
    assert {(await db_rows(c["case_id"]))["state"] for c in cases} == {"expired"}


async def test_the_periodic_loop_runs_the_job(onboarding_app, calls, pool, db_rows):
    case = await calls.new_case()
    await _backdate(pool, case["case_id"])
    job = _job(onboarding_app, interval=0.05)
    job.start()
    try:
        for _ in range(200):
            if (await db_rows(case["case_id"]))["state"] == "expired":
                break
            await asyncio.sleep(0.05)
    finally:
        await job.stop()
    assert (await db_rows(case["case_id"]))["state"] == "expired"
