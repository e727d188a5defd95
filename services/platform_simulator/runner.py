"""Taking events from a simulation and putting them on Kafka at a pace, or on stdout."""

import asyncio
import time
from dataclasses import dataclass
from itertools import islice
from typing import TextIO

from services.platform_simulator.domain import pacing
from services.platform_simulator.domain.simulation import Simulation
from services.platform_simulator.domain.tally import Tally
from shared.events import EVENT_TYPES, CloudEvent
from shared.kafka.producer import EventProducer

# Longest sleep between two checks of the stop signal, the duration and the progress line.
MAX_PAUSE = 0.25


@dataclass(frozen=True, slots=True)
class Limits:
    events: int | None = None
    duration: float | None = None
    # Sent at once before pacing starts: the recent past of the clients, so figures are live.
    burst: int = 0


def topic_of(event: CloudEvent, prefix: str = "") -> str:
    """The contract topic of the event's type, behind an optional prefix (tests)."""
    return prefix + EVENT_TYPES[event.type].topic


def run_dry(sim: Simulation, *, count: int, topic_prefix: str, out: TextIO,
            tally: Tally | None = None) -> Tally:
    """Write `count` events as JSON lines (the exact bytes Kafka would get)."""
    tally = tally if tally is not None else Tally()
    for event in islice(sim.events(), count):
        out.write(event.to_bytes().decode() + "\n")
        tally.add(topic_of(event, topic_prefix), event)
    return tally


async def run_live(
    sim: Simulation,
    *,
    producer: EventProducer,
    limits: Limits,
    topic_prefix: str = "",
    progress_every: float = 5.0,
    progress_out: TextIO | None = None,
    stop: asyncio.Event | None = None,
    tally: Tally | None = None,
) -> tuple[Tally, float]:
    """Send events at `sim.plan.rate` until a limit is reached or `stop` is set."""
    tally = tally if tally is not None else Tally()
    stop = stop or asyncio.Event()
    stream, rate, started = sim.events(), sim.plan.rate, time.monotonic()
    next_progress = progress_every
    while not stop.is_set():
        elapsed = time.monotonic() - started
        if _reached(limits, tally.total, elapsed):
            break
        count = pacing.due(elapsed=elapsed, rate=rate, sent=tally.total, limit=limits.events,
                           head_start=limits.burst)
        batch = [(topic_of(e, topic_prefix), e) for e in islice(stream, count)]
        if batch:
            await producer.send_many(batch)
            for topic, event in batch:
                tally.add(topic, event)
        if progress_out is not None and elapsed >= next_progress:
            print(tally.progress_line(elapsed), file=progress_out, flush=True)
            next_progress += progress_every
        await _sleep_or_stop(stop, _wait(limits, rate, tally.total, started))
    return tally, time.monotonic() - started


def _reached(limits: Limits, sent: int, elapsed: float) -> bool:
    return ((limits.events is not None and sent >= limits.events)
            or (limits.duration is not None and elapsed >= limits.duration))


def _wait(limits: Limits, rate: float, sent: int, started: float) -> float:
    elapsed = time.monotonic() - started
    wait = min(MAX_PAUSE, pacing.pause(elapsed=elapsed, rate=rate, sent=sent,
                                       head_start=limits.burst))
    if limits.duration is not None:
        wait = min(wait, max(0.0, limits.duration - elapsed))
    return wait


async def _sleep_or_stop(stop: asyncio.Event, seconds: float) -> None:
    if seconds <= 0:
        # Unpaced: still yield to the loop so that a signal can set `stop`.
        await asyncio.sleep(0)
        return
    try:
        await asyncio.wait_for(stop.wait(), timeout=seconds)
    except TimeoutError:
        pass
