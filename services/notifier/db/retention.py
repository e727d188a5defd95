"""What the notifier prunes, and after how long (docs/RETENTION.md).

The outbox relay runs these once an hour (shared.db.retention); each finds its rows by an
index of migrations 0005 and 0008 and deletes them in batches. Kept apart from
db/email_outbox.py, which owns sending.
"""

from services.notifier.db import SCHEMA
from shared.db.retention import Prune, days, delete_batch, event_table_prunes
from services.notifier.settings import NotifierSettings


def prunes(settings: NotifierSettings) -> list[Prune]:
    """Everything the notifier schema prunes."""
    s = settings
    return [
        *event_table_prunes(SCHEMA, published_kept=days(s.retention_published_outbox_days),
                            processed_kept=days(s.retention_processed_events_days)),
        # Settled expenses count in no figure; see migration 0008 for what settled means.
        Prune("notifier.expense_state", days(s.retention_settled_expense_days),
              delete_batch("notifier.expense_state", "settled_at < $1")),
        email_outbox_prune(s),
    ]


def email_outbox_prune(settings: NotifierSettings) -> Prune:
    """Sent and failed emails (digests and reminders); pending ones are never pruned."""
    return Prune("notifier.email_outbox", days(settings.retention_finished_email_days),
                 delete_batch("notifier.email_outbox", "status <> 'pending' and created_at < $1"))
