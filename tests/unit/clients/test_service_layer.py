"""The clients use cases against an in-memory unit of work: what they write, announce and
audit, and that a consumer batch commits whole or not at all."""

import uuid
from dataclasses import replace

import pytest

from services.clients.consumers.companies import apply_invitations
from services.clients.consumers.figures import apply_expenses
from services.clients.consumers.verification import apply_verification
from services.clients.domain.errors import Conflict, Invalid, NotAllowed, NotFound, UnknownFirm
from services.clients.service_layer import (assignments, directory, grants, invitations,
                                            notifications, reminders)
from services.clients.service_layer.visibility import active_caller
from shared.events import decode, new_event
from shared.tokens import SigningKeys
from tests.unit.clients.fake_clients_unit_of_work import FakeClientsUnitOfWork


@pytest.fixture
def uow() -> FakeClientsUnitOfWork:
    return FakeClientsUnitOfWork()


@pytest.fixture
def firm(uow):
    return uow.firm()


@pytest.fixture
def admin(uow, firm):
    return active_caller(uow.staff(firm, "admin", name="Ada"))


def upserted(uow) -> list[tuple]:
    return [(e.type, str(e.data["client_id"]), e.data["link_state"]) for e in uow.announced
            if e.type == "client.upserted"]


def audited(uow) -> list[tuple]:
    return [(a["action"], a["staff_id"], a["details"]) for a in uow.rows.audit]


def event(type_: str, data: dict, event_id: str | None = None):
    return decode(new_event(type_, source="/test", subject=str(data.get("client_id")),
                            event_id=event_id, data=data).to_bytes())


def invited(client_id, firm_id, event_id=None):
    return event("company.bookkeeper_invited", {
        "client_id": str(client_id), "firm_id": str(firm_id), "client_name": "Asked Co",
        "registration_number": "NL9", "country": "nl"}, event_id)


def verification(client_id, firm_id, to_state, event_id=None):
    return event("verification.state_changed", {
        "client_id": str(client_id), "firm_id": str(firm_id), "case_id": str(uuid.uuid4()),
        "from_state": None, "to_state": to_state}, event_id)


async def test_an_invite_links_onboarding_queues_the_case_and_wakes_the_opener_on_commit(
        uow, firm, admin):
    made = await invitations.invite_client(uow, admin, name="New Co", registration_number="NL1",
                                           country="NL", contact_email="owner@new.example")
    assert uow.link(firm, made.client_id).state == "onboarding"
    assert uow.link(firm, made.client_id).case_id == made.case_id
    assert upserted(uow) == [("client.upserted", str(made.client_id), "onboarding")]
    assert audited(uow) == [("client.invited", admin.id, {"case_id": str(made.case_id)})]
    [opening] = uow.rows.case_openings
    assert opening["case_id"] == made.case_id and opening["contact_email"] == "owner@new.example"
    assert (uow.commits, uow.case_opener_woken) == (1, 1)


async def test_only_admins_invite(uow, firm):
    keeper = active_caller(uow.staff(firm))
    with pytest.raises(NotAllowed):
        await invitations.invite_client(uow, keeper, name="X", registration_number="1",
                                        country="NL", contact_email="a@b.example")
    assert (uow.announced, uow.case_opener_woken, uow.rows.companies) == ([], 0, {})


async def test_accepting_an_invitation_activates_announces_and_audits_once(uow, firm, admin):
    client = uow.client(firm, "invitation_pending")
    for _ in range(2):
        answered = await invitations.answer_invitation(uow, admin, client, accept=True)
        assert (answered.client_id, answered.link_state) == (client, "active")
    assert uow.link(firm, client).state == "active"
    assert upserted(uow) == [("client.upserted", str(client), "active")]
    assert audited(uow) == [("invitation.accepted", admin.id, {})]


async def test_declining_then_accepting_is_refused_as_no_invitation(uow, firm, admin):
    client = uow.client(firm, "invitation_pending")
    await invitations.answer_invitation(uow, admin, client, accept=False)
    with pytest.raises(NotFound) as caught:
        await invitations.answer_invitation(uow, admin, client, accept=True)
    assert caught.value.code == "invitation_not_found"
    assert uow.link(firm, client).state == "declined"
    assert audited(uow) == [("invitation.declined", admin.id, {})]


async def test_answering_an_onboarding_client_conflicts_and_changes_nothing(uow, firm, admin):
    client = uow.client(firm, "onboarding")
    with pytest.raises(Conflict) as caught:
        await invitations.answer_invitation(uow, admin, client, accept=True)
    assert caught.value.code == "not_invitation_pending"
    assert (uow.announced, uow.rows.audit, uow.rollbacks) == ([], [], 1)


async def test_company_invitations_link_pending_once_per_event_and_again_after_a_decline(
        uow, firm):
    client = uuid.uuid4()
    first = invited(client, firm)
    await apply_invitations(uow, [first, first])
    await apply_invitations(uow, [first])  # redelivered: claimed already
    assert uow.link(firm, client).state == "invitation_pending"
    assert uow.rows.companies[client].country == "NL"
    uow.rows.links[firm, client] = replace(uow.link(firm, client), state="declined")
    await apply_invitations(uow, [invited(client, firm)])
    assert uow.link(firm, client).state == "invitation_pending"
    assert upserted(uow) == [("client.upserted", str(client), "invitation_pending")] * 2
    assert uow.rows.audit == []


async def test_a_company_invitation_leaves_an_active_link_alone(uow, firm):
    client = uow.client(firm, "active")
    await apply_invitations(uow, [invited(client, firm)])
    assert uow.link(firm, client).state == "active" and upserted(uow) == []


async def test_a_batch_with_an_unknown_firm_fails_whole_and_claims_nothing(uow, firm):
    good, bad = invited(uuid.uuid4(), firm), invited(uuid.uuid4(), uuid.uuid4())
    with pytest.raises(UnknownFirm):
        await apply_invitations(uow, [good, bad])
    assert (uow.announced, uow.rows.links, uow.claimed, uow.rollbacks) == ([], {}, {}, 1)
    await apply_invitations(uow, [good])  # the consumer retries it alone: it applies
    assert len(upserted(uow)) == 1 and uow.claimed == {"clients.companies": {good.id}}


async def test_verification_moves_onboarding_forward_only_and_announces_tab_changes(uow, firm):
    client = uow.client(firm, "onboarding")
    await apply_verification(uow, [verification(client, firm, "in_review")])
    assert uow.link(firm, client).verification_state == "in_review" and upserted(uow) == []
    await apply_verification(uow, [verification(client, firm, "verified"),
                                   verification(client, firm, "in_review"),
                                   verification(client, firm, "rejected")])
    assert (uow.link(firm, client).state, uow.link(firm, client).verification_state) == (
        "active", "verified")
    assert upserted(uow) == [("client.upserted", str(client), "active")]


async def test_verification_of_an_unknown_link_or_an_accepted_invitation_moves_nothing(
        uow, firm):
    accepted = uow.client(firm, "active")
    await apply_verification(uow, [verification(uuid.uuid4(), firm, "verified"),
                                   verification(accepted, firm, "rejected")])
    assert uow.link(firm, accepted).state == "active"
    assert (upserted(uow), uow.commits) == ([], 1)


async def test_a_direct_link_is_made_announced_and_audited_once(uow, firm):
    client = uow.client()
    link, created = await directory.link_client(uow, firm_id=firm, client_id=client,
                                                state="active")
    again, created_again = await directory.link_client(uow, firm_id=firm, client_id=client,
                                                       state="active")
    assert (created, created_again) == (True, False) and link == again
    assert (link.state, link.name, link.firm_id) == ("active", "Client", firm)
    assert upserted(uow) == [("client.upserted", str(client), "active")]
    assert audited(uow) == [("link.created", None, {"state": "active", "by": "internal"})]
    with pytest.raises(Conflict) as caught:
        await directory.link_client(uow, firm_id=firm, client_id=client,
                                    state="invitation_pending")
    assert caught.value.code == "already_linked"


async def test_a_direct_link_needs_the_firm_and_the_company(uow, firm):
    for firm_id, client_id, code in [(uuid.uuid4(), uow.client(), "firm_not_found"),
                                     (firm, uuid.uuid4(), "client_not_found")]:
        with pytest.raises(NotFound) as caught:
            await directory.link_client(uow, firm_id=firm_id, client_id=client_id,
                                        state="active")
        assert caught.value.code == code


async def test_staff_are_announced_and_an_email_is_taken_once_per_firm(uow, firm):
    made = await directory.create_staff(uow, firm_id=firm, email="a@firm.example", name="A",
                                        role="bookkeeper", locale="nl")
    with pytest.raises(Conflict):
        await directory.create_staff(uow, firm_id=firm, email="A@firm.example", name="B",
                                     role="admin", locale="en")
    changed = await directory.update_staff(uow, staff_id=made.id, changes={"active": False})
    assert [(e.type, e.data["active"]) for e in uow.announced] == [
        ("staff.upserted", True), ("staff.upserted", False)]
    assert changed.active is False and changed.locale == "nl"


async def test_assignees_are_replaced_announced_and_audited_only_when_they_change(
        uow, firm, admin):
    client = uow.client(firm)
    keeper = uow.staff(firm, name="Bob")
    result = await assignments.replace_assignees(uow, admin, client, [keeper.id, admin.id])
    await assignments.replace_assignees(uow, admin, client, [admin.id, keeper.id])
    assert [a.name for a in result.assignees] == ["Ada", "Bob"]
    assert result.staff_ids == sorted([keeper.id, admin.id])
    assert [e.type for e in uow.announced] == ["client.assignees_changed"]
    assert [a[0] for a in audited(uow)] == ["assignees.changed"]
    with pytest.raises(Invalid) as caught:
        await assignments.replace_assignees(uow, admin, client, [uuid.uuid4()])
    assert caught.value.code == "unknown_staff"


async def test_a_bookkeeper_sees_only_assigned_clients(uow, firm):
    keeper = active_caller(uow.staff(firm))
    client = uow.client(firm)
    with pytest.raises(NotFound):
        await notifications.get_setting(uow, keeper, client)
    uow.rows.assignees[firm, client] = [keeper.id]
    setting = await notifications.get_setting(uow, keeper, client)
    assert (setting.email, setting.frequency) == (False, "weekly")


async def test_a_reminder_goes_to_assigned_bookkeepers_once_per_key(uow, firm, admin):
    client = uow.client(firm)
    with pytest.raises(Conflict) as caught:
        await reminders.send_reminder(uow, admin, client, tasks=["missing_receipts"],
                                      comment=None, idempotency_key="k")
    assert caught.value.code == "no_bookkeeper_assigned"
    keeper = uow.staff(firm)
    uow.rows.assignees[firm, client] = [keeper.id, admin.id]
    sent = [await reminders.send_reminder(uow, admin, client, tasks=["missing_receipts"],
                                          comment="", idempotency_key="k") for _ in range(2)]
    assert sent[0] == sent[1] and sent[0].recipient_count == 1
    assert [e.type for e in uow.announced] == ["reminder.requested"]
    with pytest.raises(Conflict) as caught:
        await reminders.send_reminder(uow, admin, client, tasks=["wallet_balance"],
                                      comment=None, idempotency_key="k")
    assert caught.value.code == "idempotency_key_reused"
    [listed] = await reminders.list_reminders(uow, admin, client)
    assert (listed.reminder_id, listed.status, listed.admin_name) == (
        sent[0].reminder_id, "open", "Ada")


async def test_email_settings_are_announced_and_an_unsubscribe_turns_them_off_once(
        uow, firm, admin):
    client = uow.client(firm)
    setting = await notifications.put_setting(uow, admin, client, email=True,
                                              frequency="daily",
                                              digest_timezone="Europe/Copenhagen",
                                              digest_hour=10)
    assert setting.email and setting.first_digest_at is not None
    for _ in range(2):
        done = await notifications.unsubscribe(uow, admin.id, [client])
    assert done.turned_off == []
    assert [(e.type, e.data["email"]) for e in uow.announced] == [
        ("notification.preference_changed", True), ("notification.preference_changed", False)]
    with pytest.raises(NotFound):
        await notifications.unsubscribe(uow, uuid.uuid4(), [client])


async def test_going_to_a_client_needs_an_active_link_and_is_audited(uow, firm, admin):
    keys = SigningKeys("test", "a-secret-for-tests-only-32-bytes!!")
    with pytest.raises(NotFound) as caught:
        await grants.grant_access(uow, admin, uow.client(firm, "onboarding"), keys=keys,
                                  account_base_url="https://app.example/")
    assert caught.value.code == "client_not_active"
    client = uow.client(firm)
    grant = await grants.grant_access(uow, admin, client, keys=keys,
                                      account_base_url="https://app.example/")
    assert grant.url.startswith(f"https://app.example/{client}?grant=")
    assert [a[0] for a in audited(uow)] == ["client.accessed"]
    assert [e.type for e in uow.announced] == ["client.accessed"]


async def test_expense_batches_are_claimed_so_a_replay_applies_nothing(uow):
    batch = [event("expense.receipt_attached", {"expense_id": "e1",
                                                "client_id": str(uuid.uuid4())})]
    await apply_expenses(uow, batch)
    await apply_expenses(uow, batch)
    assert [len(b) for b in uow.rows.expense_batches] == [1, 0]
