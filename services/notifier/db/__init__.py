"""Repositories and migrations of the notifier schema."""

SCHEMA = "notifier"
# LISTEN/NOTIFY channel that wakes the sender when new emails are written.
EMAIL_OUTBOX_CHANNEL = "notifier_email_outbox"
