"""The details page's pieces as the templates show them, and its forms as the API wants them.

Pure: no I/O, no framework. Routes pass API answers and posted forms in; the API still
decides every rule (who may assign, whom a reminder reaches).
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

FREQUENCIES = ("daily", "weekly", "monthly")
DEFAULT_FREQUENCY = "weekly"
# The API's task names, in the order the dialog offers them, with their wording keys.
TASKS = {"missing_receipts": "task_missing_receipts",
         "ready_for_export": "task_ready_for_export",
         "wallet_balance": "task_wallet_balance"}
MAX_COMMENT = 1000  # the API refuses longer ones (422)
TRUE = {"1", "true", "on", "yes"}


def _first(form: Mapping[str, Sequence[str]], name: str) -> str:
    return (form.get(name) or [""])[0].strip()


@dataclass(frozen=True, slots=True)
class EmailSetting:
    """What the "Email me about this client" form asks the API to store."""

    email: bool
    frequency: str

    @classmethod
    def from_form(cls, form: Mapping[str, Sequence[str]]) -> "EmailSetting":
        """An unchecked box sends nothing (off); an unknown frequency keeps the default."""
        frequency = _first(form, "frequency")
        return cls(email=_first(form, "email").lower() in TRUE,
                   frequency=frequency if frequency in FREQUENCIES else DEFAULT_FREQUENCY)


@dataclass(frozen=True, slots=True)
class ReminderRequest:
    """The ticked tasks and the comment of the Notify bookkeepers dialog."""

    tasks: tuple[str, ...]
    comment: str | None
    idempotency_key: str | None

    @classmethod
    def from_form(cls, form: Mapping[str, Sequence[str]]) -> "ReminderRequest":
        ticked = set(form.get("tasks", []))
        comment = "\n".join(_first(form, "comment").splitlines())[:MAX_COMMENT]
        key = _first(form, "idempotency_key")[:200]
        return cls(tasks=tuple(t for t in TASKS if t in ticked), comment=comment or None,
                   idempotency_key=key or None)


def assignee_ids(form: Mapping[str, Sequence[str]]) -> list[str]:
    """The ticked staff ids, once each, in the order posted."""
    return list(dict.fromkeys(s.strip() for s in form.get("staff_ids", []) if s.strip()))


@dataclass(frozen=True, slots=True)
class StaffChoice:
    """One assignee checkbox: a staff member of the firm and whether they are assigned."""

    id: str
    name: str
    role: str
    checked: bool


def staff_choices(staff: Iterable[Mapping], assignees: Iterable[Mapping]) -> list[StaffChoice]:
    """A checkbox per active staff member; assignees the list lacks (left the firm) too."""
    assigned = {str(a["id"]): a for a in assignees}
    choices = [StaffChoice(str(s["id"]), s["name"], s["role"], str(s["id"]) in assigned)
               for s in staff]
    listed = {c.id for c in choices}
    choices += [StaffChoice(i, a["name"], a["role"], True) for i, a in assigned.items()
                if i not in listed]
    return choices


@dataclass(frozen=True, slots=True)
class SentReminder:
    """A reminder in the list on the details page."""

    id: str
    task_keys: tuple[str, ...]
    comment: str | None
    created_at: str
    admin_name: str
    recipient_count: int
    resolved: bool


def sent_reminders(items: Iterable[Mapping]) -> list[SentReminder]:
    """The API's reminders (newest first) as the page lists them."""
    return [SentReminder(id=str(r["reminder_id"]),
                         task_keys=tuple(TASKS[t] for t in r["tasks"] if t in TASKS),
                         comment=r.get("comment") or None, created_at=r["created_at"],
                         admin_name=r.get("admin_name") or "",
                         recipient_count=int(r.get("recipient_count") or 0),
                         resolved=r.get("status") == "resolved")
            for r in items]


def may_go_to(client: Mapping) -> bool:
    """Go to client works for active clients only (the API answers 404 otherwise)."""
    return client.get("link_state") == "active"
