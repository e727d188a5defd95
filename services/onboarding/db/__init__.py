"""Repositories and migrations of the onboarding schema."""

SCHEMA = "onboarding"
