"""Run: python -m tests.chaos [--only FAULT] [--pg-down-seconds 360] [--smtp-down-seconds 120]

Starts its own PostgreSQL, Kafka, SMTP server and services (in .run/chaos, ports 25432,
29092-29093, 28001-28003, 28025), injects each fault under load, prints one table row per
fault and exits 1 when any fault's checks fail.
"""

import argparse
import asyncio
import sys
from pathlib import Path

from tests.chaos.faults import FAULTS
from tests.chaos.runner import Harness, Options
from tests.chaos.table import render


def parse(argv: list[str] | None) -> tuple[Options, Path | None]:
    parser = argparse.ArgumentParser(prog="python -m tests.chaos", description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", default=[],
                        choices=[f.name for f in FAULTS], help="run only this fault (repeatable)")
    parser.add_argument("--pg-down-seconds", type=float, default=360.0,
                        help="postgres-down: how long PostgreSQL stays away (default 360)")
    parser.add_argument("--smtp-down-seconds", type=float, default=120.0,
                        help="smtp-down: how long the SMTP server stays away (default 120)")
    parser.add_argument("--rate", type=float, default=50.0, help="platform events per second")
    parser.add_argument("--clients", type=int, default=40,
                        help="new platform clients the simulator drives per fault")
    parser.add_argument("--staff", type=int, default=200, help="bookkeepers on weekly digests")
    parser.add_argument("--warmup", type=float, default=10.0,
                        help="seconds of load before each fault")
    parser.add_argument("--smtp-delay", type=float, default=0.25,
                        help="seconds the SMTP sink takes per message (a fan-out that lasts)")
    parser.add_argument("--keep-running", action="store_true",
                        help="leave the chaos stack up afterwards (to look around)")
    parser.add_argument("--table-out", type=Path, help="also write the table to this file")
    args = parser.parse_args(argv)
    return Options(only=tuple(args.only), pg_down_seconds=args.pg_down_seconds,
                   smtp_down_seconds=args.smtp_down_seconds, rate=args.rate,
                   clients=args.clients, staff=args.staff, warmup=args.warmup,
                   smtp_delay=args.smtp_delay, keep_running=args.keep_running), args.table_out


def main(argv: list[str] | None = None) -> int:
    options, table_out = parse(argv)
    harness = Harness(options)
    rows = asyncio.run(harness.run())
    table = render(rows)
    print("\n" + table, flush=True)
    if table_out:
        table_out.write_text(table + "\n", encoding="utf-8")
    return 0 if rows and all(r.passed for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
