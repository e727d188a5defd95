"""Use cases: each one transaction over the repository, with its outbox rows."""
