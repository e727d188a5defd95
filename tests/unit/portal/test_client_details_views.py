"""The details page's pure pieces: its forms as the API wants them, its lists as shown."""

import pytest

from services.portal.pages.sign_in import safe_next
from services.portal.views.client_details import (
    EmailSetting,
    ReminderRequest,
    assignee_ids,
    may_go_to,
    sent_reminders,
    staff_choices,
)


def test_email_setting_unchecked_box_is_off_and_unknown_frequency_is_weekly():
    assert EmailSetting.from_form({"email": ["1"], "frequency": ["daily"]}) == \
        EmailSetting(True, "daily")
    assert EmailSetting.from_form({"frequency": ["monthly"]}) == EmailSetting(False, "monthly")
    assert EmailSetting.from_form({"email": ["on"], "frequency": ["hourly"]}) == \
        EmailSetting(True, "weekly")


def test_reminder_request_keeps_known_tasks_in_the_dialogs_order():
    wanted = ReminderRequest.from_form({
        "tasks": ["wallet_balance", "bogus", "missing_receipts", "wallet_balance"],
        "comment": ["  Line one\r\nline two  "], "idempotency_key": ["k1"]})
    assert wanted.tasks == ("missing_receipts", "wallet_balance")
    assert wanted.comment == "Line one\nline two" and wanted.idempotency_key == "k1"
    empty = ReminderRequest.from_form({"comment": ["   "]})
    assert empty == ReminderRequest((), None, None)
    assert len(ReminderRequest.from_form({"comment": ["x" * 5000]}).comment) == 1000


def test_assignee_ids_once_each_in_posted_order():
    assert assignee_ids({"staff_ids": ["b", "a", "b", " ", "c"]}) == ["b", "a", "c"]
    assert assignee_ids({}) == []


def test_staff_choices_tick_assignees_and_keep_one_who_left_the_firm():
    staff = [{"id": "1", "name": "Ann", "role": "bookkeeper"},
             {"id": "2", "name": "Bob", "role": "admin"}]
    assignees = [{"id": "2", "name": "Bob", "role": "admin"},
                 {"id": "9", "name": "Gone", "role": "bookkeeper"}]
    choices = staff_choices(staff, assignees)
    assert [(c.name, c.checked) for c in choices] == [("Ann", False), ("Bob", True),
                                                      ("Gone", True)]


def test_sent_reminders_as_listed():
    items = [{"reminder_id": "r1", "tasks": ["ready_for_export", "unknown"], "comment": "",
              "created_at": "2026-04-06T08:00:00+00:00", "admin_name": "Eva",
              "recipient_count": 2, "status": "resolved"},
             {"reminder_id": "r2", "tasks": ["missing_receipts"], "comment": "Hi",
              "created_at": "2026-04-05T08:00:00+00:00", "status": "open"}]
    first, second = sent_reminders(items)
    assert first.task_keys == ("task_ready_for_export",) and first.comment is None
    assert first.resolved and first.recipient_count == 2
    assert second.comment == "Hi" and not second.resolved and second.admin_name == ""


def test_go_to_client_only_for_active_clients():
    assert may_go_to({"link_state": "active"})
    assert not may_go_to({"link_state": "onboarding"})


@pytest.mark.parametrize("target, expected", [
    ("/clients/abc?x=1", "/clients/abc?x=1"), ("", "/clients"), ("//evil.example", "/clients"),
    ("https://evil.example", "/clients"), ("/\\evil.example", "/clients"),
    ("/ok\r\nSet-Cookie: x", "/clients")])
def test_safe_next_stays_on_this_site(target, expected):
    assert safe_next(target) == expected
