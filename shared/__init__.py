"""Code every Partner Portal service shares: settings, event contracts, Kafka and PostgreSQL helpers."""
