"""Repositories and migrations of the clients schema."""

from importlib import resources

from shared.db.migrate import ServiceMigrations

SCHEMA = "clients"
# Files 0001-0008 built the shared tables themselves (shared.db.migrate says why).
MIGRATIONS = ServiceMigrations(SCHEMA, resources.files(__name__) / "migrations",
                               ("outbox", "processed_events", "task_figures"),
                               table_groups_after=8)

# Every statement of this service filters by key columns that have an index, so the plan
# does not depend on the values: planning once per connection (generic plans) instead of
# for every execution halved the page query's cost (0.95 -> 0.53 ms, docs/BENCHMARKS.md).
# A search is the exception and asks for its own plan (db/listing.py).
SESSION_SETTINGS = {"plan_cache_mode": "force_generic_plan"}
