"""Prometheus metrics of the notifier (the event plumbing's own are in shared.metrics)."""

from prometheus_client import Counter, Histogram

EMAILS_SENT = Counter("notifier_emails_sent_total", "Emails accepted by the SMTP server", ["kind"])
EMAILS_FAILED = Counter("notifier_emails_failed_total", "Emails given up on", ["kind"])
EMAIL_RETRIES = Counter("notifier_email_retries_total", "Attempts to be tried again", ["kind"])
SMTP_SECONDS = Histogram("notifier_smtp_send_seconds", "Time to hand one message to SMTP",
                         buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30))
DIGESTS_WRITTEN = Counter("notifier_digests_written_total", "Digest emails written to the outbox")
REMINDER_EMAILS_WRITTEN = Counter("notifier_reminder_emails_written_total",
                                  "Reminder emails written to the outbox")
TICKS_PRODUCED = Counter("notifier_ticks_produced_total", "schedule.tick events produced")
