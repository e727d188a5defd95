"""Repositories and migrations of the clients schema."""
