"""What the clients service prunes, and after how long (docs/RETENTION.md).

The outbox relay runs these once an hour (shared.db.retention); each finds its rows by an
index of migrations 0005 and 0007 and deletes them in batches.
"""

from services.clients.db import SCHEMA
from services.clients.settings import ClientsSettings
from shared.db.retention import Prune, days, delete_batch, event_table_prunes


def prunes(settings: ClientsSettings) -> list[Prune]:
    """Everything the clients schema prunes."""
    s = settings
    return [
        *event_table_prunes(SCHEMA, published_kept=days(s.retention_published_outbox_days),
                            processed_kept=days(s.retention_processed_events_days)),
        # Settled expenses count in no figure; see migration 0007 for what settled means.
        Prune("clients.expense_state", days(s.retention_settled_expense_days),
              delete_batch("clients.expense_state", "settled_at < $1")),
        Prune("clients.audit_log", days(s.retention_audit_log_days),
              delete_batch("clients.audit_log", "at < $1")),
        Prune("clients.access_grants", days(s.retention_expired_grant_days),
              delete_batch("clients.access_grants", "expires_at < $1")),
        # Open reminders stay however old: the admin still sees them as open.
        Prune("clients.reminders", days(s.retention_resolved_reminder_days),
              delete_batch("clients.reminders", "resolved_at < $1")),
        # Openings the onboarding service refused stay until someone looks at them.
        Prune("clients.case_openings", days(s.retention_opened_case_days),
              delete_batch("clients.case_openings", "opened_at < $1")),
    ]
