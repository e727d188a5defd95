"""Repositories and migrations of the notifier schema."""

from importlib import resources

from shared.db.migrate import ServiceMigrations

SCHEMA = "notifier"
# Files 0001-0009 built the shared tables themselves (shared.db.migrate says why).
MIGRATIONS = ServiceMigrations(SCHEMA, resources.files(__name__) / "migrations",
                               ("outbox", "processed_events", "task_figures"),
                               table_groups_after=9)
# LISTEN/NOTIFY channel that wakes the sender when new emails are written.
EMAIL_OUTBOX_CHANNEL = "notifier_email_outbox"
