"""Pacing: event n is due at n / rate seconds, limits cap it, rate 0 means bursts."""

from services.platform_simulator.domain.pacing import BURST, due, pause


def test_first_event_is_due_at_once_then_one_per_interval():
    assert due(elapsed=0.0, rate=2.0, sent=0, limit=None) == 1
    assert due(elapsed=0.4, rate=2.0, sent=1, limit=None) == 0
    assert due(elapsed=0.5, rate=2.0, sent=1, limit=None) == 1
    # Behind schedule (a slow broker): catch up in one batch.
    assert due(elapsed=10.0, rate=2.0, sent=1, limit=None) == 20


def test_the_limit_caps_what_is_due():
    assert due(elapsed=10.0, rate=100.0, sent=0, limit=30) == 30
    assert due(elapsed=10.0, rate=100.0, sent=30, limit=30) == 0
    assert due(elapsed=0.0, rate=0.0, sent=0, limit=None) == BURST
    assert due(elapsed=0.0, rate=0.0, sent=990, limit=1000) == 10


def test_pause_waits_for_the_next_due_event_only():
    assert pause(elapsed=0.0, rate=2.0, sent=1) == 0.5
    assert pause(elapsed=3.0, rate=2.0, sent=1) == 0.0
    assert pause(elapsed=0.0, rate=0.0, sent=100) == 0.0


def test_a_head_start_goes_out_at_once_then_the_rate_takes_over():
    assert due(elapsed=0.0, rate=2.0, sent=0, limit=None, head_start=300) == 301
    assert due(elapsed=0.2, rate=2.0, sent=301, limit=None, head_start=300) == 0
    assert pause(elapsed=0.2, rate=2.0, sent=301, head_start=300) == 0.3
    assert due(elapsed=0.5, rate=2.0, sent=301, limit=None, head_start=300) == 1
