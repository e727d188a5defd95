"""Prometheus metrics shared by every service's event plumbing."""

from prometheus_client import Counter

EVENTS_HANDLED = Counter(
    "events_handled_total", "Events handled successfully", ["consumer", "topic", "type"]
)
EVENTS_SKIPPED = Counter(
    "events_skipped_unknown_total", "Events of a type this consumer does not know", ["consumer", "topic", "type"]
)
EVENTS_DEAD_LETTERED = Counter(
    "events_dead_lettered_total", "Messages sent to a dead-letter topic", ["consumer", "topic"]
)
OUTBOX_PUBLISHED = Counter("outbox_published_total", "Outbox rows published", ["outbox"])
