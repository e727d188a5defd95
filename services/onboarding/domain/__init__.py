"""Verification rules with no I/O: the case state machine, webhook signatures, event shapes."""
