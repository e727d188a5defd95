"""The faults, each injected while the simulator produces load and a Monday fan-out runs.

A fault sends its Monday tick, breaks something, holds it broken, repairs it, and returns
the moment it repaired it: recovery time counts from there. The harness plays the process
supervisor (systemd, Kubernetes): after a kill -9 it starts the service again.
"""

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from tests.chaos.digests import Digests
from tests.chaos.smtp import StoppableSink
from tests.chaos.stack import Stack

# How long a killed service stays dead before its supervisor starts it again.
RESTART_DELAY = 3.0


@dataclass
class Context:
    stack: Stack
    sink: StoppableSink
    digests: Digests
    pg_down_seconds: float
    smtp_down_seconds: float
    say: Callable[[str], None]


@dataclass(frozen=True)
class Fault:
    name: str
    # (context, send time) -> monotonic time the fault was repaired.
    inject: Callable[[Context, datetime], Awaitable[float]]
    # How long to wait after the repair for everything to be right again.
    settle_timeout: float = 180.0


async def _first_digest(ctx: Context, before: int, timeout: float = 60) -> None:
    """Until the sink accepted a digest beyond `before`: the fan-out is under way."""
    deadline = time.monotonic() + timeout
    while ctx.sink.count() <= before and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    if ctx.sink.count() <= before:
        ctx.say("no digest arrived within 60 s of the tick; injecting anyway")


def kill(service: str) -> Callable[[Context, datetime], Awaitable[float]]:
    async def inject(ctx: Context, send_time: datetime) -> float:
        before = ctx.sink.count()
        await ctx.digests.tick(send_time)
        if service == "notifier":
            # Killed in the middle of the fan-out: digests written, some sent, some not.
            await _first_digest(ctx, before)
        pid = ctx.stack.kill_service(service)
        sent = ctx.sink.count() - before
        ctx.say(f"kill -9 {service} (pid {pid}, {sent} digests of the fan-out delivered);"
                f" starting it again in {RESTART_DELAY:.0f} s")
        await asyncio.sleep(RESTART_DELAY)
        ctx.stack.start_service(service)
        return time.monotonic()
    return inject


async def postgres_restart(ctx: Context, send_time: datetime) -> float:
    await ctx.digests.tick(send_time)
    await ctx.stack.stop_postgres()
    ctx.say("PostgreSQL stopped (fast shutdown); starting it again")
    await ctx.stack.start_postgres()
    return time.monotonic()


async def kafka_restart(ctx: Context, send_time: datetime) -> float:
    await ctx.digests.tick(send_time)
    await ctx.stack.stop_kafka()
    ctx.say("Kafka stopped (controlled shutdown); starting it again")
    await ctx.stack.start_kafka()
    return time.monotonic()


async def postgres_down(ctx: Context, send_time: datetime) -> float:
    await ctx.digests.tick(send_time)
    await ctx.stack.stop_postgres()
    ctx.say(f"PostgreSQL stopped; down for {ctx.pg_down_seconds:.0f} s "
            "(Kafka's max.poll.interval is 300 s)")
    await _hold(ctx, ctx.pg_down_seconds, "PostgreSQL down")
    await ctx.stack.start_postgres()
    return time.monotonic()


async def smtp_down(ctx: Context, send_time: datetime) -> float:
    before = ctx.sink.count()
    await ctx.digests.tick(send_time)
    await _first_digest(ctx, before)
    ctx.sink.stop()
    ctx.say(f"SMTP server stopped after {ctx.sink.count() - before} digests of the fan-out; "
            f"down for {ctx.smtp_down_seconds:.0f} s")
    await _hold(ctx, ctx.smtp_down_seconds, "SMTP down")
    ctx.sink.start()
    return time.monotonic()


async def _hold(ctx: Context, seconds: float, what: str) -> None:
    end = time.monotonic() + seconds
    while (left := end - time.monotonic()) > 0:
        await asyncio.sleep(min(60.0, left))
        if end - time.monotonic() > 1:
            ctx.say(f"{what}: {end - time.monotonic():.0f} s to go")


FAULTS = (
    Fault("kill-clients", kill("clients")),
    Fault("kill-onboarding", kill("onboarding")),
    Fault("kill-notifier", kill("notifier")),
    Fault("postgres-restart", postgres_restart),
    Fault("kafka-restart", kafka_restart),
    Fault("postgres-down", postgres_down, settle_timeout=300.0),
    # The sender retries after 30, 60, 120 s...: the third retry comes ~210 s after the
    # first refusal, so a 2-minute outage is only over for it a while later.
    Fault("smtp-down", smtp_down, settle_timeout=420.0),
)
