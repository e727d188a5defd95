"""Pure, seeded generation of platform events: no clock, no Kafka, no randomness from outside."""
