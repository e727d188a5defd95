"""Clients joining a firm: invited through the portal, or accepting/declining invitations."""

import uuid
from uuid import UUID

from services.clients.db import directory
from services.clients.db.case_openings import insert_case_opening
from services.clients.db.links import insert_audit, insert_link, lock_link, set_link_state
from services.clients.domain import announcements
from services.clients.domain.errors import Conflict, NotFound
from services.clients.domain.visibility import Caller
from services.clients.runtime import Runtime
from services.clients.service_layer.visibility import require_admin


async def invite_client(rt: Runtime, caller: Caller, *, name: str, registration_number: str,
                        country: str, contact_email: str) -> dict:
    """Create the client under Onboarding and queue the opening of its verification case.

    The case opening is recorded in this transaction and done by the case opener, so the
    invite succeeds while the onboarding service is down and the case is opened once it
    is back, exactly once (our case id makes the onboarding route idempotent).
    """
    require_admin(caller, "invite clients")
    client_id, case_id = uuid.uuid4(), uuid.uuid4()
    async with rt.pool.acquire() as conn, conn.transaction():
        await directory.insert_company(conn, client_id=client_id, name=name,
                                       registration_number=registration_number,
                                       country=country)
        await insert_link(conn, firm_id=caller.firm_id, client_id=client_id,
                          state="onboarding", case_id=case_id)
        await insert_case_opening(conn, case_id=case_id, client_id=client_id,
                                  firm_id=caller.firm_id, contact_email=contact_email)
        await rt.announcer.add(conn, announcements.client_upserted(
            client_id=client_id, firm_id=caller.firm_id, name=name, link_state="onboarding"))
        await insert_audit(conn, firm_id=caller.firm_id, staff_id=caller.id,
                           action="client.invited", client_id=client_id,
                           details={"case_id": str(case_id)})
    rt.wake_case_opener()
    return {"client_id": client_id, "case_id": case_id}


async def answer_invitation(rt: Runtime, caller: Caller, client_id: UUID, *,
                            accept: bool) -> dict:
    """invitation_pending -> active (accept) or declined; repeating the same answer is a no-op."""
    require_admin(caller, "answer invitations")
    target = "active" if accept else "declined"
    async with rt.pool.acquire() as conn, conn.transaction():
        link = await lock_link(conn, caller.firm_id, client_id)
        if link is None or link["state"] not in ("invitation_pending", target):
            if link is None or link["state"] not in ("onboarding", "active"):
                raise NotFound("no such invitation", code="invitation_not_found")
            raise Conflict(f"the client is not invited: its link is {link['state']!r}",
                           code="not_invitation_pending",
                           details={"link_state": link["state"]})
        if link["state"] == target:
            return {"client_id": client_id, "link_state": target}
        row = await set_link_state(conn, firm_id=caller.firm_id, client_id=client_id,
                                   state=target)
        await rt.announcer.add(conn, announcements.client_upserted(
            client_id=client_id, firm_id=caller.firm_id, name=row["name"], link_state=target))
        await insert_audit(conn, firm_id=caller.firm_id, staff_id=caller.id,
                           action="invitation.accepted" if accept else "invitation.declined",
                           client_id=client_id)
    return {"client_id": client_id, "link_state": target}
