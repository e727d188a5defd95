"""Benchmarks of the notifier service (run by hand)."""
