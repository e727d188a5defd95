"""Repositories and migrations of the notifier schema."""
