"""Command line of the platform simulator: options -> plan -> events on Kafka or stdout.

Run: python -m services.platform_simulator --clients 20 --rate 5 --duration 60 --seed 7
     python -m services.platform_simulator --clients-file ids.txt --firm-id F --invite 5
     python -m services.platform_simulator --clients 3 --events 20 --seed 1 --dry-run
"""

import argparse
import asyncio
import json
import os
import random
import signal
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import UUID

from aiokafka.errors import KafkaError

from services.platform_simulator.domain.plan import Plan
from services.platform_simulator.domain.simulation import Simulation
from services.platform_simulator.domain.tally import Tally
from services.platform_simulator.runner import Limits, run_dry, run_live
from services.platform_simulator.settings import SimulatorSettings
from shared.kafka.producer import EventProducer
from shared.log import configure_logging


@dataclass(frozen=True, slots=True)
class Options:
    plan: Plan
    limits: Limits
    bootstrap_servers: str
    topic_prefix: str
    dry_run: bool
    progress_every: float
    figures_out: Path | None


def _positive(kind: type):
    def parse(text: str):
        value = kind(text)
        if value <= 0:
            raise argparse.ArgumentTypeError(f"must be > 0, not {text}")
        return value
    return parse


def _non_negative(kind: type):
    def parse(text: str):
        value = kind(text)
        if value < 0:
            raise argparse.ArgumentTypeError(f"must be >= 0, not {text}")
        return value
    return parse


def _aware_time(text: str) -> datetime:
    value = datetime.fromisoformat(text)
    if value.tzinfo is None:
        raise argparse.ArgumentTypeError(f"needs an offset, e.g. {text}+00:00")
    return value


def build_parser(settings: SimulatorSettings) -> argparse.ArgumentParser:
    """Every option, grouped as --help shows them."""
    parser = argparse.ArgumentParser(
        prog="python -m services.platform_simulator",
        description="Produce realistic platform.companies/expenses/wallets events for "
                    "chosen firms and clients (the spend platform's stand-in).")
    _add_whom(parser.add_argument_group("whom"))
    _add_how_much(parser.add_argument_group("how much"), settings)
    _add_where(parser.add_argument_group("where"), settings)
    return parser


def _add_whom(who: argparse._ArgumentGroup) -> None:
    who.add_argument("--client-id", type=UUID, action="append", default=[], metavar="UUID",
                     help="an existing client to drive (repeatable)")
    who.add_argument("--clients-file", type=Path, metavar="PATH",
                     help="more client ids, one UUID per line (# comments allowed)")
    who.add_argument("--clients", type=_non_negative(int), default=0, metavar="N",
                     help="also simulate N new client ids derived from the seed")
    who.add_argument("--firm-id", type=UUID, action="append", default=[], metavar="UUID",
                     help="a firm that receives --invite invitations (repeatable)")
    who.add_argument("--invite", type=_non_negative(int), default=0, metavar="N",
                     help="per firm, N new companies add it as external bookkeeper")


def _add_how_much(how: argparse._ArgumentGroup, settings: SimulatorSettings) -> None:
    how.add_argument("--rate", type=_non_negative(float), default=settings.simulator_rate,
                     help="events per second; 0 = as fast as the broker takes them "
                          "(default %(default)s, env SIMULATOR_RATE)")
    how.add_argument("--duration", type=_positive(float), metavar="SECONDS",
                     help="stop after this long (dry run: rate x duration events)")
    how.add_argument("--events", type=_positive(int), metavar="N", help="stop after N events")
    how.add_argument("--burst", type=_non_negative(int), default=0, metavar="N",
                     help="send N events at once first (the last N/rate seconds of the "
                          "clients' history), then go on at --rate")
    how.add_argument("--seed", type=int, help="same seed and options, same events "
                                               "(default: a random seed, printed)")
    how.add_argument("--start-time", type=_aware_time, metavar="ISO8601",
                     help="simulated clock start (default now); pin it for identical output")
    how.add_argument("--sequence-start", type=_positive(int), metavar="N",
                     help="first wallet sequence per client (default: the launch time, or "
                          "--start-time, in epoch ms, so a later run supersedes an earlier one)")


def _add_where(out: argparse._ArgumentGroup, settings: SimulatorSettings) -> None:
    out.add_argument("--bootstrap-servers", default=settings.kafka_bootstrap_servers)
    out.add_argument("--topic-prefix", default="", help="prepended to every topic (tests)")
    out.add_argument("--dry-run", action="store_true",
                     help="print events as JSON lines on stdout instead of sending them")
    out.add_argument("--progress-every", type=_positive(float),
                     default=settings.simulator_progress_seconds, metavar="SECONDS")
    out.add_argument("--figures-out", type=Path, metavar="PATH",
                     help="write the task figures per client this run adds up to (JSON)")


def _read_client_ids(parser: argparse.ArgumentParser, path: Path) -> list[UUID]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        parser.error(f"--clients-file: {exc.strerror}: {path}")
    ids = []
    for number, line in enumerate(lines, start=1):
        text = line.split("#", 1)[0].strip()
        if not text:
            continue
        try:
            ids.append(UUID(text))
        except ValueError:
            parser.error(f"--clients-file {path}:{number}: not a UUID: {text!r}")
    return ids


def parse_options(argv: list[str] | None, settings: SimulatorSettings) -> Options:
    """Parse and check the command line; exit 2 with a message when it does not add up."""
    parser = build_parser(settings)
    args = parser.parse_args(argv)
    if args.firm_id and not args.invite:
        parser.error("--firm-id is only used with --invite N")
    if args.invite and not args.firm_id:
        parser.error("--invite needs at least one --firm-id")
    if args.dry_run and args.events is None and (args.duration is None or args.rate <= 0):
        parser.error("--dry-run needs --events N, or --duration with a --rate above 0")
    events = args.events
    if args.dry_run and args.duration is not None and args.rate > 0:
        by_time = max(1, int(args.duration * args.rate))
        events = by_time if events is None else min(events, by_time)
    return Options(plan=_plan(parser, args),
                   limits=Limits(events=events, duration=args.duration, burst=args.burst),
                   bootstrap_servers=args.bootstrap_servers, topic_prefix=args.topic_prefix,
                   dry_run=args.dry_run, progress_every=args.progress_every,
                   figures_out=args.figures_out)


def _plan(parser: argparse.ArgumentParser, args: argparse.Namespace) -> Plan:
    client_ids = list(args.client_id)
    if args.clients_file:
        client_ids += _read_client_ids(parser, args.clients_file)
    now = args.start_time or datetime.now(UTC).replace(microsecond=0)
    start = now
    if args.start_time is None and args.burst and args.rate > 0:
        # The burst is the recent past: its clock ends where the paced part begins, now.
        start = now - timedelta(seconds=args.burst / args.rate)
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(2**31)
    try:
        return Plan(seed=seed, start_time=start, rate=args.rate,
                    client_ids=tuple(client_ids), generated_clients=args.clients,
                    firm_ids=tuple(args.firm_id), invites_per_firm=args.invite,
                    sequence_start=args.sequence_start or int(now.timestamp() * 1000))
    except ValueError as exc:
        parser.error(f"{exc}: give --client-id, --clients-file, --clients or --invite")


def _summary(options: Options, sim: Simulation, tally: Tally, elapsed: float) -> str:
    figures = sim.figures().values()
    target = "stdout (dry run)" if options.dry_run else options.bootstrap_servers
    return tally.summary(
        elapsed=elapsed, seed=options.plan.seed, target=target,
        missing_receipts=sum(f["missing_receipts"] for f in figures),
        ready_for_export=sum(f["ready_for_export"] for f in figures),
        clients_planned=len(sim.ledgers))


def _write_figures(options: Options, sim: Simulation) -> None:
    if options.figures_out is not None:
        options.figures_out.write_text(json.dumps(sim.figures(), indent=1), encoding="utf-8")


async def run_kafka(options: Options, sim: Simulation, tally: Tally) -> float:
    """Send until a limit is reached or SIGINT/SIGTERM arrives; return the elapsed seconds."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    producer = EventProducer(options.bootstrap_servers, client_id="platform-simulator")
    try:
        # Inside the try: a producer whose start failed must still be closed.
        await producer.start()
        _, elapsed = await run_live(
            sim, producer=producer, limits=options.limits, topic_prefix=options.topic_prefix,
            progress_every=options.progress_every, progress_out=sys.stderr, stop=stop,
            tally=tally)
    finally:
        await producer.stop()
    return elapsed


def _dry_run(options: Options, sim: Simulation, tally: Tally) -> int:
    try:
        run_dry(sim, count=options.limits.events, topic_prefix=options.topic_prefix,
                out=sys.stdout, tally=tally)
        sys.stdout.flush()
    except BrokenPipeError:
        # `--dry-run | head` closed the pipe early: that is a normal way to stop reading.
        # Point stdout at /dev/null so that the flush at exit does not fail a second time.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point: 0 when done, 1 when Kafka failed (after saying what was sent), 2 on usage."""
    settings = SimulatorSettings()
    options = parse_options(argv, settings)
    sim, tally, started = Simulation(options.plan), Tally(), time.monotonic()
    if options.dry_run:
        code = _dry_run(options, sim, tally)
        elapsed = time.monotonic() - started
    else:
        configure_logging("platform-simulator", settings.log_level)
        try:
            code, elapsed = 0, asyncio.run(run_kafka(options, sim, tally))
        except KafkaError as exc:
            print(f"platform simulator: Kafka at {options.bootstrap_servers} failed: {exc!r}",
                  file=sys.stderr)
            code, elapsed = 1, time.monotonic() - started
    _write_figures(options, sim)
    print(_summary(options, sim, tally, elapsed), file=sys.stderr, flush=True)
    return code
