"""PostgreSQL helpers: the connection pool, migrations, the outbox and idempotency records."""
