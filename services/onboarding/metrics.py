"""Prometheus metrics of the onboarding service."""

from prometheus_client import Counter

WEBHOOKS = Counter(
    "onboarding_webhooks_total",
    "Verification webhooks by outcome (applied, replay, bad_signature, illegal, invalid, unknown_case)",
    ["outcome"],
)
STATE_CHANGES = Counter(
    "onboarding_state_changes_total", "Verification case state changes", ["to_state", "source"]
)
EXPIRY_RUNS = Counter(
    "onboarding_expiry_runs_total", "Expiry job runs by outcome (ran, skipped_locked, failed)",
    ["outcome"],
)
