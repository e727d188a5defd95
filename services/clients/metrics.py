"""Prometheus metrics of the clients service (the event plumbing's are in shared.metrics)."""

from prometheus_client import Counter

VERIFICATION_IGNORED = Counter(
    "clients_verification_events_ignored_total",
    "verification.state_changed events that moved no link", ["reason"])
CASE_OPENINGS = Counter(
    "clients_case_openings_total", "Attempts to open a verification case", ["outcome"])
