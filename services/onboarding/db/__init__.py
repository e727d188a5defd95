"""Repositories and migrations of the onboarding schema."""

from importlib import resources

from shared.db.migrate import ServiceMigrations

SCHEMA = "onboarding"
# Files 0001-0004 built the shared tables themselves (shared.db.migrate says why).
MIGRATIONS = ServiceMigrations(SCHEMA, resources.files(__name__) / "migrations",
                               ("outbox", "processed_events"), table_groups_after=4)
