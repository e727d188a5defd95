"""Admins reminding the bookkeepers of a client of its outstanding tasks (PRODUCT 6)."""

import uuid
from uuid import UUID

from services.clients.db import links
from services.clients.db import reminders as db
from services.clients.domain import announcements
from services.clients.domain.errors import Conflict
from services.clients.domain.reminders import fingerprint, normalised_tasks, status
from services.clients.domain.visibility import Caller
from services.clients.runtime import Runtime
from services.clients.service_layer.visibility import require_admin, visible_link


async def send_reminder(rt: Runtime, caller: Caller, client_id: UUID, *, tasks: list[str],
                        comment: str | None, idempotency_key: str | None) -> dict:
    """Record a reminder to every bookkeeper assigned now and announce it (once per key)."""
    require_admin(caller, "send reminders")
    tasks = normalised_tasks(tasks)
    comment = comment or None
    request_print = fingerprint(client_id, tasks, comment)
    async with rt.pool.acquire() as conn, conn.transaction():
        if idempotency_key is not None:
            done = await db.reminder_by_key(conn, caller.id, idempotency_key)
            if done is not None:
                return _repeat(done, request_print)
        await visible_link(rt, caller, client_id, active_only=True, conn=conn)
        recipients = await links.bookkeepers_assigned(conn, caller.firm_id, client_id)
        if not recipients:
            raise Conflict("no bookkeeper is assigned to this client, so there is nobody to"
                           " remind; assign one first", code="no_bookkeeper_assigned")
        reminder_id = uuid.uuid4()
        inserted = await db.insert_reminder(
            conn, reminder_id=reminder_id, firm_id=caller.firm_id, client_id=client_id,
            admin_id=caller.id, tasks=tasks, comment=comment, recipient_ids=recipients,
            idempotency_key=idempotency_key, fingerprint=request_print)
        if not inserted:  # a concurrent request with the same key won the race
            done = await db.reminder_by_key(conn, caller.id, idempotency_key)
            return _repeat(done, request_print)
        await rt.announcer.add(conn, announcements.reminder_requested(
            reminder_id=reminder_id, client_id=client_id, firm_id=caller.firm_id,
            admin_id=caller.id, tasks=tasks, comment=comment, recipient_ids=recipients))
        await links.insert_audit(conn, firm_id=caller.firm_id, staff_id=caller.id,
                                 action="reminder.requested", client_id=client_id,
                                 details={"reminder_id": str(reminder_id), "tasks": tasks})
    return {"reminder_id": reminder_id, "recipient_count": len(recipients)}


def _repeat(done, request_print: str) -> dict:
    if done["request_fingerprint"] != request_print:
        raise Conflict("this Idempotency-Key was used for a different reminder",
                       code="idempotency_key_reused")
    return {"reminder_id": done["id"], "recipient_count": len(done["recipient_ids"])}


async def list_reminders(rt: Runtime, caller: Caller, client_id: UUID) -> list[dict]:
    """The client's reminders, newest first, each open or resolved."""
    require_admin(caller, "see reminders")
    await visible_link(rt, caller, client_id)
    rows = await db.reminders_of(rt.pool, caller.firm_id, client_id)
    return [{
        "reminder_id": r["id"], "client_id": r["client_id"], "admin_id": r["admin_id"],
        "admin_name": r["admin_name"], "tasks": list(r["tasks"]), "comment": r["comment"],
        "recipient_ids": list(r["recipient_ids"]), "recipient_count": len(r["recipient_ids"]),
        "created_at": r["created_at"], "status": status(r["resolved"]),
        "resolved_at": r["resolved_at"],
        "figures_at_request": {
            "missing_receipts": r["missing_receipts_at_request"],
            "ready_for_export": r["ready_for_export_at_request"],
            "wallet_balance": None if r["wallet_currency_at_request"] is None else {
                "amount_minor": r["wallet_balance_at_request"],
                "currency": r["wallet_currency_at_request"]}},
    } for r in rows]
