"""Kafka helpers: an idempotent event producer, a dead-lettering consumer, topic creation."""
