"""Rules with no I/O: schedule, settings, delivery verdicts."""
