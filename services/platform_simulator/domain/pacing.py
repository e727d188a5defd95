"""How many events are due at a given moment of a run paced at `rate` events per second."""

# Events per round when unpaced (rate 0): big enough to keep the broker busy.
BURST = 500


def due(*, elapsed: float, rate: float, sent: int, limit: int | None, head_start: int = 0) -> int:
    """How many events to send now so that `sent` keeps up with the rate (and the limit).

    `head_start` events go out at once before the pacing begins (a warm-up burst).
    """
    # The first event goes out at once; event n (0-based) is due at n / rate seconds.
    target = sent + BURST if rate <= 0 else head_start + int(elapsed * rate) + 1
    if limit is not None:
        target = min(target, limit)
    return max(0, target - sent)


def pause(*, elapsed: float, rate: float, sent: int, head_start: int = 0) -> float:
    """Seconds until the next event is due (0 when unpaced or behind)."""
    if rate <= 0:
        return 0.0
    return max(0.0, (sent - head_start) / rate - elapsed)
