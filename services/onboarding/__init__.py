"""The onboarding service."""
