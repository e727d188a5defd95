"""Tests of the notifier service."""
