"""End to end: a client invited through the portal moves between tabs as verification goes on.

The clients and onboarding services run as real uvicorn processes (see PortalStack) against
the real PostgreSQL and Kafka; the provider's webhooks are signed like the real ones.
"""

import asyncio

import httpx
import pytest

from shared.db.migrate import migrate_all
from tests.e2e.portal_calls import PortalCalls
from tests.e2e.portal_stack import PortalStack

pytestmark = pytest.mark.e2e

# Time the clients service gets to (wrongly) move a client after an event that must not
# move it: the product's end-to-end target is one second.
SETTLE_SECONDS = 1.5


@pytest.fixture(scope="module")
async def portal(settings):
    await migrate_all(settings.database_url)
    stack = PortalStack(settings, label="e2e")
    await stack.start()
    try:
        async with httpx.AsyncClient(timeout=10) as http:
            yield PortalCalls(stack, http)
    finally:
        await stack.stop()


async def _invited_and_assigned(portal, name):
    firm_id, admin, bookkeeper = await portal.new_firm()
    invited = await portal.invite(admin, name)
    await portal.assign(admin, invited["client_id"], [bookkeeper])
    await portal.wait_case_opened(invited["case_id"])
    return firm_id, admin, bookkeeper, invited["client_id"], invited["case_id"]


async def test_invite_submit_approve_moves_the_client_to_all_and_my_clients(portal):
    firm_id, admin, bookkeeper, client_id, case_id = await _invited_and_assigned(
        portal, "Café Verificatie B.V.")

    # The invite opened a case at onboarding for exactly this client and firm.
    case = await portal.case_at_onboarding(case_id)
    assert (case["client_id"], case["firm_id"], case["state"]) == (client_id, firm_id, "invited")

    # Invited: under Onboarding for the admin and for the assigned bookkeeper, nowhere else.
    await portal.eventually(lambda: _is(portal, admin, client_id, {"onboarding"}),
                            what="invited client under the admin's Onboarding tab")
    assert await portal.where_is(bookkeeper, client_id) == {"onboarding"}
    assert (await portal.tabs_of(admin))["onboarding"] == 1

    # Submitted: still onboarding.
    await portal.provider(case_id, "submitted")
    await asyncio.sleep(SETTLE_SECONDS)
    assert await portal.where_is(admin, client_id) == {"onboarding"}
    assert await portal.where_is(bookkeeper, client_id) == {"onboarding"}

    # Approved: All for the admin (not assigned: not in My clients), My clients for its assignee.
    await portal.provider(case_id, "approved")
    await portal.eventually(lambda: _is(portal, admin, client_id, {"all"}),
                            what="verified client under the admin's All tab")
    assert await portal.where_is(bookkeeper, client_id) == {"my"}
    assert "onboarding" not in await portal.tabs_of(admin)
    assert "onboarding" not in await portal.tabs_of(bookkeeper)


async def test_rejected_case_disappears_from_every_tab(portal):
    _, admin, bookkeeper, client_id, case_id = await _invited_and_assigned(
        portal, "Afgewezen Handel B.V.")
    await portal.eventually(lambda: _is(portal, bookkeeper, client_id, {"onboarding"}),
                            what="invited client under the bookkeeper's Onboarding tab")

    await portal.provider(case_id, "submitted")
    await portal.provider(case_id, "rejected")
    await portal.eventually(lambda: _is(portal, admin, client_id, set()),
                            what="rejected client gone from the admin's tabs")
    assert await portal.where_is(bookkeeper, client_id) == set()
    # Empty Onboarding tabs are not returned at all; My clients and All always are.
    assert set(await portal.tabs_of(admin)) == {"my", "all"}
    assert set(await portal.tabs_of(bookkeeper)) == {"my"}


async def test_another_firm_never_sees_the_invited_client(portal):
    _, admin, _, client_id, case_id = await _invited_and_assigned(portal, "Geheim B.V.")
    _, other_admin, _ = await portal.new_firm()
    await portal.eventually(lambda: _is(portal, admin, client_id, {"onboarding"}),
                            what="invited client under Onboarding")
    await portal.provider(case_id, "submitted")
    await portal.provider(case_id, "approved")
    await portal.eventually(lambda: _is(portal, admin, client_id, {"all"}),
                            what="verified client under All")
    assert await portal.where_is(other_admin, client_id) == set()


async def _is(portal, staff_id, client_id, tabs) -> bool:
    return await portal.where_is(staff_id, client_id) == tabs
