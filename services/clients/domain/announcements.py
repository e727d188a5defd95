"""The events the clients service announces on partner.clients.v1 (ARCHITECTURE table).

Built here, written to the outbox by the repositories in the transaction of the change.
"""

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

from shared.events import CloudEvent, encode
from shared.events import schemas as s

SOURCE = "/partner/clients"


def staff_upserted(*, staff_id: UUID, firm_id: UUID, email: str, name: str, role: str,
                   locale: str, active: bool) -> CloudEvent:
    data = s.StaffUpserted(staff_id=staff_id, firm_id=firm_id, email=email, name=name,
                           role=role, locale=locale, active=active)
    return encode("staff.upserted", data, source=SOURCE, subject=str(staff_id))


def client_upserted(*, client_id: UUID, firm_id: UUID, name: str,
                    link_state: str) -> CloudEvent:
    data = s.ClientUpserted(client_id=client_id, firm_id=firm_id, name=name,
                            link_state=link_state)
    return encode("client.upserted", data, source=SOURCE, subject=str(client_id))


def assignees_changed(*, client_id: UUID, firm_id: UUID,
                      staff_ids: Sequence[UUID]) -> CloudEvent:
    data = s.ClientAssigneesChanged(client_id=client_id, firm_id=firm_id,
                                    staff_ids=tuple(staff_ids))
    return encode("client.assignees_changed", data, source=SOURCE, subject=str(client_id))


def preference_changed(*, client_id: UUID, staff_id: UUID, email: bool, frequency: str,
                       changed_at: datetime, first_digest_at: datetime | None) -> CloudEvent:
    data = s.NotificationPreferenceChanged(
        client_id=client_id, staff_id=staff_id, email=email, frequency=frequency,
        changed_at=changed_at, first_digest_at=first_digest_at)
    return encode("notification.preference_changed", data, source=SOURCE,
                  subject=str(client_id))


def reminder_requested(*, reminder_id: UUID, client_id: UUID, firm_id: UUID, admin_id: UUID,
                       tasks: Sequence[str], comment: str | None,
                       recipient_ids: Sequence[UUID]) -> CloudEvent:
    data = s.ReminderRequested(reminder_id=reminder_id, client_id=client_id, firm_id=firm_id,
                               admin_id=admin_id, tasks=tuple(tasks), comment=comment,
                               recipient_ids=tuple(recipient_ids))
    return encode("reminder.requested", data, source=SOURCE, subject=str(client_id))


def client_accessed(*, client_id: UUID, staff_id: UUID, grant_id: UUID,
                    expires_at: datetime) -> CloudEvent:
    data = s.ClientAccessed(client_id=client_id, staff_id=staff_id, grant_id=grant_id,
                            expires_at=expires_at)
    return encode("client.accessed", data, source=SOURCE, subject=str(client_id))
