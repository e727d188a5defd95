"""The tab counts kept by migration 0008 stay equal to counting the tables (issue 13).

Every move goes through the real code: the portal's invite, accept/decline and assignee
routes, and the platform's and onboarding's events through the consumers' functions.
"""

import asyncio
import uuid

from services.clients.consumers.companies import apply_invitations
from services.clients.consumers.verification import apply_verification
from tests.integration.clients.test_auth_and_tabs import tabs
from tests.integration.clients.world import invited_event, verification_event


async def exact(api, world, firm, admin, *keepers) -> dict:
    """Assert the counters equal count(*) of links and assignments, and that the tabs the API
    answers show those counts; return the counts (to compare across replays)."""
    pool = world.pool
    counted = {(r["state"], r["n"]) for r in await pool.fetch(
        "select state, count(*)::int as n from clients.links where firm_id = $1 group by state",
        firm)}
    kept = {(r["state"], r["n"]) for r in await pool.fetch(
        "select state, n from clients.link_counts where firm_id = $1 and n > 0", firm)}
    assert kept == counted
    staff = [admin.id] + [k.id for k in keepers]
    assigned = {(r["staff_id"], r["state"], r["n"]) for r in await pool.fetch(
        """select staff_id, state, count(*)::int as n from clients.assignments
            where staff_id = any($1::uuid[]) group by staff_id, state""", staff)}
    kept_assigned = {(r["staff_id"], r["state"], r["n"]) for r in await pool.fetch(
        """select staff_id, state, n from clients.assignment_counts
            where staff_id = any($1::uuid[]) and n > 0""", staff)}
    assert kept_assigned == assigned
    assert await pool.fetchval("select count(*) from clients.link_counts where n < 0") == 0
    links = dict(counted)
    mine = {(s, state): n for s, state, n in assigned}
    want = {"invitations": links.get("invitation_pending", 0),
            "onboarding": links.get("onboarding", 0),
            "my": mine.get((admin.id, "active"), 0), "all": links.get("active", 0)}
    assert await tabs(api, admin) == {k: v for k, v in want.items()
                                      if v or k in ("my", "all")}
    for keeper in keepers:
        want = {"onboarding": mine.get((keeper.id, "onboarding"), 0),
                "my": mine.get((keeper.id, "active"), 0)}
        assert await tabs(api, keeper) == {k: v for k, v in want.items() if v or k == "my"}
    return {"links": links, "assigned": mine}


async def portal_invite(api, admin, name: str) -> uuid.UUID:
    r = await api.post("/v1/clients/invite", json={
        "name": name, "registration_number": "NL1", "country": "NL",
        "contact_email": "owner@new.example"}, headers=admin.headers)
    assert r.status_code == 201, r.text
    return uuid.UUID(r.json()["client_id"])


async def answer(api, admin, client, verb: str):
    r = await api.post(f"/v1/invitations/{client}/{verb}", headers=admin.headers)
    assert r.status_code == 200, r.text


async def test_counts_stay_exact_through_invites_moves_assignments_and_replays(
        api, world, runtime):
    firm = await world.firm()
    admin = await world.staff(firm, "admin")
    k1, k2, k3 = [await world.staff(firm) for _ in range(3)]
    check = lambda: exact(api, world, firm, admin, k1, k2, k3)  # noqa: E731
    invitations = lambda *events: apply_invitations(  # noqa: E731
        runtime.unit_of_work(), list(events))
    verify = lambda *events: apply_verification(  # noqa: E731
        runtime.unit_of_work(), list(events))

    # invites: through the portal (onboarding) and from the platform (invitation_pending)
    a, b, c = [await portal_invite(api, admin, f"Portal {i}") for i in range(3)]
    asked = [invited_event(uuid.uuid4(), firm, name=f"Platform {i}") for i in range(3)]
    await invitations(*asked, asked[0])
    counts = await check()
    assert counts["links"] == {"onboarding": 3, "invitation_pending": 3}
    await invitations(*asked)  # replayed: claimed already, nothing moves
    assert await check() == counts

    # verification: onboarding -> active / rejected, late and repeated events move nothing
    moves = [verification_event(a, firm, "in_review", "invited"),
             verification_event(a, firm, "verified", "in_review"),
             verification_event(b, firm, "rejected", "invited")]
    await verify(*moves)
    counts = await check()
    assert counts["links"] == {"onboarding": 1, "active": 1, "rejected": 1,
                               "invitation_pending": 3}
    await verify(*moves)
    await verify(verification_event(a, firm, "rejected", "in_review"))  # stale: a is verified
    assert await check() == counts

    # accept / decline, the same answer again, and a declined client inviting again
    p0, p1, p2 = [e.data.client_id for e in asked]
    await answer(api, admin, p0, "accept")
    await answer(api, admin, p1, "decline")
    counts = await check()
    await answer(api, admin, p0, "accept")
    await answer(api, admin, p1, "decline")
    assert await check() == counts
    await invitations(invited_event(p1, firm, name="Platform 1"))  # a new event id
    counts = await check()
    assert counts["links"] == {"onboarding": 1, "active": 2, "rejected": 1,
                               "invitation_pending": 2}

    # assignments: add, replace, remove; a link's move carries its assignments along
    await world.assign(admin, a, k1, k2)
    await world.assign(admin, c, k1, admin)
    await world.assign(admin, p2, k3)
    counts = await check()
    assert counts["assigned"] == {(k1.id, "active"): 1, (k2.id, "active"): 1,
                                  (k1.id, "onboarding"): 1, (admin.id, "onboarding"): 1,
                                  (k3.id, "invitation_pending"): 1}
    await world.assign(admin, a, k2, k3)
    await world.assign(admin, a, k2, k3)  # the same set again
    await world.assign(admin, p2)  # removed
    await check()
    await verify(verification_event(c, firm, "verified", "invited"))
    await answer(api, admin, p2, "accept")
    counts = await check()
    assert counts["assigned"] == {(k2.id, "active"): 1, (k3.id, "active"): 1,
                                  (k1.id, "active"): 1, (admin.id, "active"): 1}
    assert counts["links"]["active"] == 4


async def test_counts_stay_exact_through_a_concurrent_burst_in_one_firm(api, world, runtime):
    """Twenty assignee changes, half taking two staff members' counters in one order and half
    in the other, with invites from both sides at the same time: nothing lost, no deadlock."""
    firm = await world.firm()
    admin = await world.staff(firm, "admin")
    k1, k2 = await world.staff(firm), await world.staff(firm)
    clients = [await world.client(firm, name=f"Burst {i}") for i in range(20)]
    for i, client in enumerate(clients):
        await world.assign(admin, client, k1 if i % 2 else k2)
    before = await exact(api, world, firm, admin, k1, k2)
    assert before["assigned"] == {(k1.id, "active"): 10, (k2.id, "active"): 10}

    async def swap(i: int, client):  # removes one staff member's row, adds the other's
        staff = [k2 if i % 2 else k1]
        r = await api.put(f"/v1/clients/{client}/assignees",
                          json={"staff_ids": [str(s.id) for s in staff]}, headers=admin.headers)
        return r.status_code

    asked = [invited_event(uuid.uuid4(), firm, name=f"Asked {i}") for i in range(5)]
    results = await asyncio.gather(
        *(swap(i, c) for i, c in enumerate(clients)),
        *(portal_invite(api, admin, f"Invited {i}") for i in range(5)),
        *(apply_invitations(runtime.unit_of_work(), [e]) for e in asked),
        return_exceptions=True)
    assert [r for r in results if isinstance(r, BaseException)] == []
    assert results[:20] == [200] * 20
    after = await exact(api, world, firm, admin, k1, k2)
    assert after["assigned"] == before["assigned"]
    assert after["links"] == {"active": 20, "onboarding": 5, "invitation_pending": 5}
