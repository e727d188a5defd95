"""Which digests a tick writes (PRODUCT section 5), against the real PostgreSQL: frequencies,
the first-digest rule, the DST weeks, who may see what, one email per staff member."""

import uuid
from datetime import UTC, datetime

import pytest

from services.notifier.consumers.partner import partner_handlers
from services.notifier.consumers.platform import expense_handlers
from services.notifier.consumers.ticks import tick_handlers
from services.notifier.settings import NotifierSettings
from tests.integration.notifier import factories as f

pytestmark = pytest.mark.integration

FIRST_MONDAY_APRIL = datetime(2026, 4, 6, 8, tzinfo=UTC)    # 10:00 CEST
SECOND_MONDAY_APRIL = datetime(2026, 4, 13, 8, tzinfo=UTC)
TUESDAY = datetime(2026, 4, 14, 8, tzinfo=UTC)
SATURDAY = datetime(2026, 4, 18, 8, tzinfo=UTC)


@pytest.fixture
def notifier_settings(unique) -> NotifierSettings:
    return NotifierSettings(notifier_app_id=f"rules-{unique}")


@pytest.fixture
def feed(pool, notifier_settings):
    handlers = {**partner_handlers(pool, notifier_settings), **expense_handlers(pool),
                **tick_handlers(pool, notifier_settings)}

    async def _feed(*events):
        for event in f.as_events(*events):
            await handlers[event.type]([event])

    return _feed


async def digests(pool, origin, staff_ids) -> dict:
    """(staff, send time) -> client names in the order the digest lists them."""
    rows = await pool.fetch(
        "select staff_id, scheduled_for, payload from notifier.email_outbox"
        " where origin = $1 and staff_id = any($2::uuid[])", origin, list(staff_ids))
    return {(r["staff_id"], r["scheduled_for"]): [c["name"] for c in r["payload"]["clients"]]
            for r in rows}


async def test_frequencies_and_the_first_digest_rule(pool, feed, notifier_settings, firms):
    firm, admin = uuid.uuid4(), uuid.uuid4()
    firms.append(firm)
    daily, weekly, monthly, late = (uuid.uuid4() for _ in range(4))
    on = datetime(2026, 4, 1, tzinfo=UTC)
    await feed(
        f.staff_upserted(staff_id=admin, firm_id=firm, email="a@example.com", name="A",
                         role="admin"),
        *[f.client_upserted(client_id=c, firm_id=firm, name=n)
          for c, n in ((daily, "Daily"), (weekly, "Weekly"), (monthly, "Monthly"), (late, "Late"))],
        f.preference_changed(staff_id=admin, client_id=daily, frequency="daily", changed_at=on),
        f.preference_changed(staff_id=admin, client_id=weekly, frequency="weekly", changed_at=on),
        f.preference_changed(staff_id=admin, client_id=monthly, frequency="monthly",
                             changed_at=on),
        # Turned on after the first Monday: its first digest is the Monday after.
        f.preference_changed(staff_id=admin, client_id=late, frequency="daily",
                             changed_at=datetime(2026, 4, 6, 9, tzinfo=UTC)),
        *[f.tick(t) for t in (FIRST_MONDAY_APRIL, SECOND_MONDAY_APRIL, TUESDAY, SATURDAY)])
    got = await digests(pool, notifier_settings.notifier_app_id, [admin])
    assert {k[1]: sorted(v) for k, v in got.items()} == {
        FIRST_MONDAY_APRIL: ["Daily", "Monthly", "Weekly"],       # "Late" not yet due
        SECOND_MONDAY_APRIL: ["Daily", "Late", "Weekly"],         # monthly: first Monday only
        TUESDAY: ["Daily", "Late"],                               # weekdays: daily only
    }                                                             # Saturday: nothing


@pytest.mark.parametrize("before, at", [
    # Monday 30 March 2026: summer time, 10:00 Copenhagen = 08:00 UTC.
    (datetime(2026, 3, 30, 7, 59, tzinfo=UTC), datetime(2026, 3, 30, 8, 0, tzinfo=UTC)),
    # Monday 26 October 2026: winter time again, 10:00 Copenhagen = 09:00 UTC.
    (datetime(2026, 10, 26, 8, 59, tzinfo=UTC), datetime(2026, 10, 26, 9, 0, tzinfo=UTC)),
])
async def test_dst_weeks_send_at_ten_copenhagen_time(pool, feed, notifier_settings, firms,
                                                     before, at):
    firm, admin, client = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    firms.append(firm)
    await feed(f.staff_upserted(staff_id=admin, firm_id=firm, email="d@example.com", name="D",
                                role="admin"),
               f.client_upserted(client_id=client, firm_id=firm, name="DST B.V."),
               f.preference_changed(staff_id=admin, client_id=client,
                                    changed_at=datetime(2026, 3, 1, tzinfo=UTC),
                                    first_digest_at=datetime(2026, 3, 2, 9, tzinfo=UTC)),
               f.tick(before))
    assert await digests(pool, notifier_settings.notifier_app_id, [admin]) == {}
    await feed(f.tick(at), f.tick(at))
    assert await digests(pool, notifier_settings.notifier_app_id, [admin]) == {
        (admin, at): ["DST B.V."]}


async def test_one_digest_per_staff_member_with_only_what_they_may_see(
        pool, feed, notifier_settings, firms):
    firm, other_firm = uuid.uuid4(), uuid.uuid4()
    firms += [firm, other_firm]
    admin, bk, gone, outsider = (uuid.uuid4() for _ in range(4))
    mine, theirs, onboarding, foreign = (uuid.uuid4() for _ in range(4))
    on = dict(changed_at=datetime(2026, 4, 1, tzinfo=UTC))
    people = [(admin, firm, "admin", True), (bk, firm, "bookkeeper", True),
              (gone, firm, "admin", False), (outsider, other_firm, "admin", True)]
    await feed(
        *[f.staff_upserted(staff_id=s, firm_id=fm, email=f"{s.hex}@example.com", name=s.hex,
                           role=role, active=active) for s, fm, role, active in people],
        f.client_upserted(client_id=mine, firm_id=firm, name="Assigned"),
        f.client_upserted(client_id=theirs, firm_id=firm, name="Unassigned"),
        f.client_upserted(client_id=onboarding, firm_id=firm, name="Onboarding",
                          link_state="onboarding"),
        f.client_upserted(client_id=foreign, firm_id=other_firm, name="Foreign"),
        f.assignees_changed(client_id=mine, firm_id=firm, staff_ids=[bk]),
        *[f.expense_created(client_id=theirs, expense_id=f"t{i}") for i in range(3)],
        f.expense_created(client_id=mine, expense_id="m1"),
        *[f.preference_changed(staff_id=s, client_id=c, **on)
          for s in (admin, bk, gone, outsider) for c in (mine, theirs, onboarding, foreign)],
        f.tick(SECOND_MONDAY_APRIL))
    got = await digests(pool, notifier_settings.notifier_app_id, [admin, bk, gone, outsider])
    assert got == {
        (admin, SECOND_MONDAY_APRIL): ["Unassigned", "Assigned"],  # most outstanding first
        (bk, SECOND_MONDAY_APRIL): ["Assigned"],                   # only assigned clients
        (outsider, SECOND_MONDAY_APRIL): ["Foreign"],              # never another firm's
    }                                                              # inactive staff: nothing


async def test_a_setting_that_arrives_after_the_first_tick_still_gets_that_days_digest(
        pool, feed, notifier_settings, firms):
    firm, early, late, client = uuid.uuid4(), uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    firms.append(firm)
    on = datetime(2026, 4, 1, tzinfo=UTC)
    await feed(*[f.staff_upserted(staff_id=s, firm_id=firm, email=f"{s}@example.com", name="S",
                                  role="admin") for s in (early, late)],
               f.client_upserted(client_id=client, firm_id=firm, name="Laat B.V."),
               f.preference_changed(staff_id=early, client_id=client, changed_at=on),
               f.tick(FIRST_MONDAY_APRIL))
    # The notifier lagged on partner events: this Thursday setting reaches it after 10:00.
    await feed(f.preference_changed(staff_id=late, client_id=client, changed_at=on),
               f.tick(FIRST_MONDAY_APRIL.replace(minute=1)),
               f.tick(FIRST_MONDAY_APRIL.replace(minute=2)))
    got = await digests(pool, notifier_settings.notifier_app_id, [early, late])
    assert got == {(early, FIRST_MONDAY_APRIL): ["Laat B.V."],
                   (late, FIRST_MONDAY_APRIL): ["Laat B.V."]}
