"""Prometheus metrics shared by every service's event plumbing."""

from prometheus_client import Counter, Gauge

EVENTS_HANDLED = Counter(
    "events_handled_total", "Events handled successfully", ["consumer", "topic", "type"]
)
EVENTS_SKIPPED = Counter(
    "events_skipped_unknown_total", "Events of a type this consumer does not know", ["consumer", "topic", "type"]
)
# cause: invalid (failed decoding), message (the database refused its data), bug (anything else).
EVENTS_DEAD_LETTERED = Counter(
    "events_dead_lettered_total", "Messages sent to a dead-letter topic", ["consumer", "topic", "cause"]
)
CONSUMER_RETRIES = Counter(
    "consumer_transient_retries_total", "Batches retried after a transient failure", ["consumer"]
)
CONSUMER_RESTARTS = Counter(
    "consumer_restarts_total", "Consumer loops restarted after an unexpected failure", ["consumer"]
)
CONSUMER_LAG = Gauge(
    "consumer_lag_messages", "Highwater minus the next offset to handle", ["consumer", "topic", "partition"]
)
OUTBOX_PUBLISHED = Counter("outbox_published_total", "Outbox rows published", ["outbox"])
