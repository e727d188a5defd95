"""Saturation and open-loop latency of the Clients page's calls, beside the stack's ceilings.

Run by hand (not in CI):
    .venv/bin/python -m tests.bench.clients.bench_latency [--runs 3] [--seconds 10]
        [--open-seconds 10] [--connections 32] [--clients 50000] [--keep] [--reuse]

Seeds the clients benchmark's firm (50,000 active clients, its own database
partner_portal_bench_latency, tests/bench/clients/seed.py), starts the clients service and
the bare ceiling app (ceilings.py) with the same server settings (one uvicorn worker), and
in each run, scenario after scenario so all meet the same machine:
  1. saturation: wrk, closed loop, `--connections` for `--seconds` -> requests/s;
  2. alone: open loop at 20 requests/s (nothing queues) -> p50;
  3. open loop at 25 %, 50 % and 75 % of that scenario's saturation rate (tests/bench/openloop,
     in Go: constant arrival rate, latency from the intended send time, at most 64
     connections like a client's pool) -> p50 / p99 / p99.9.
Scenarios: the admin's first page by name, a 3-letter search (five words in turn), the
admin's tab counts, and the ceilings (a) `select 1` and (b) the first page's statement.
Prints every run, then the median and the spread (min-max) over the runs, and the ratios
the targets name (issue 13 in docs/BENCHMARKS.md). Needs Debian's `wrk` and Go.
"""

import argparse
import asyncio
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import aiohttp
import uvloop
import asyncpg

from shared.settings import Settings
from shared.tokens import mint_staff_token
from tests.bench.clients import wrk_load
from tests.bench.clients.bench_client_list import (SEARCHES, clean_up, create_bench_topics,
                                                   dsn_of, prepare_database, start_service,
                                                   wait_ready)

BENCH_DB = "partner_portal_bench_latency"
LOADS = (0.25, 0.5, 0.75)
ALONE_RATE = 20.0


@dataclass(frozen=True, slots=True)
class Scenario:
    name: str
    port: int
    paths: list[str]
    open_loop: bool = True  # the ceilings only give a saturation rate


def scenarios(api_port: int, ceiling_port: int) -> list[Scenario]:
    first = "/v1/clients?tab=all&sort=name&limit=50"
    return [
        Scenario("first page by name", api_port, [first]),
        Scenario("3-letter search", api_port,
                 [f"/v1/clients?tab=all&limit=50&q={q}" for q in SEARCHES]),
        Scenario("admin tab counts", api_port, ["/v1/clients/tabs"]),
        Scenario("ceiling (a): select 1", ceiling_port, ["/select-1"], open_loop=False),
        Scenario("ceiling (b): the page statement", ceiling_port, ["/page"], open_loop=False),
    ]


async def seeded_firm(dsn: str) -> SimpleNamespace:
    """Who is who in a database a --keep run left: the firm with the most links, an admin."""
    conn = await asyncpg.connect(dsn)
    try:
        firm = await conn.fetchval("select firm_id from clients.links group by firm_id"
                                   " order by count(*) desc limit 1")
        admin = await conn.fetchval("select id from clients.staff where firm_id = $1 and"
                                    " role = 'admin' order by id limit 1", firm)
    finally:
        await conn.close()
    return SimpleNamespace(big_firm=firm, admin_ids=[admin])


def start_ceilings(dsn: str, port: int, secret: str, caller: dict) -> subprocess.Popen:
    env = dict(os.environ, CEILING_DSN=dsn, CEILING_SECRET=secret,
               CEILING_CALLER=json.dumps(caller), LOG_LEVEL="WARNING")
    return subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "tests.bench.clients.ceilings:app", "--host",
         "127.0.0.1", "--port", str(port), "--no-access-log", "--log-level", "warning"],
        env=env)


async def wait_answers(url: str) -> None:
    async with aiohttp.ClientSession() as session:
        for _ in range(120):
            try:
                async with session.get(url) as r:
                    if r.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.5)
    raise RuntimeError(f"{url} did not answer")


OPEN_LOOP_SOURCE = Path(__file__).parent.parent / "openloop"


def build_open_loop() -> str:
    """The open-loop load generator (tests/bench/openloop), built once per run."""
    binary = str(Path(tempfile.mkdtemp(prefix="bench-openloop-")) / "openloop")
    subprocess.run(["go", "build", "-o", binary, "."], cwd=OPEN_LOOP_SOURCE, check=True)
    return binary


async def open_loop(generator: str, s: Scenario, token: str, rate: float,
                    seconds: float) -> dict:
    """One open-loop run of `s` at `rate` per second (see tests/bench/openloop)."""
    urls = [f"http://127.0.0.1:{s.port}{path}" for path in s.paths]
    done = await asyncio.create_subprocess_exec(
        generator, "-rate", f"{rate:.1f}", "-seconds", str(seconds),
        "-header", f"Authorization: Bearer {token}", *urls, stdout=subprocess.PIPE)
    out, _ = await done.communicate()
    return json.loads(out)


async def measure(s: Scenario, token: str, args) -> dict:
    base = f"http://127.0.0.1:{s.port}"
    wrk = await asyncio.to_thread(wrk_load.run_wrk, base, s.paths, token,
                                  connections=args.connections, seconds=args.seconds,
                                  timeout_seconds=60)
    got = {"rps": wrk["rps"]}
    alone = await open_loop(args.generator, s, token, ALONE_RATE, 5)
    got["alone_p50"] = alone["p50"]
    if s.open_loop:
        for share in LOADS:
            r = await open_loop(args.generator, s, token, wrk["rps"] * share, args.open_seconds)
            got[share] = {"rate": r["rate"], "p50": r["p50"], "p99": r["p99"],
                          "p999": r["p999"], "lag": r["send_lag_p99"],
                          "achieved": r["achieved_rate"], "errors": r["errors"] + r["non_2xx"]}
    print(f"  {s.name}: {got['rps']:.0f} req/s saturated, alone p50 {got['alone_p50']:.2f} ms"
          + "".join(f"; {k:.0%}: p99 {v['p99']:.1f} ms" for k, v in got.items()
                    if isinstance(k, float)), file=sys.stderr)
    return got


def spread(values: list[float], digits: int = 1) -> str:
    """median [min-max]"""
    if len(values) == 1:
        return f"{values[0]:.{digits}f}"
    return (f"{statistics.median(values):.{digits}f} [{min(values):.{digits}f}-"
            f"{max(values):.{digits}f}]")


def report(runs: list[dict[str, dict]], names: list[str], args, started: str) -> None:
    print(f"\nmachine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs,"
          f" Python {platform.python_version()}; one uvicorn worker per app; {args.clients}"
          f" active clients; saturation: wrk -c{args.connections} for {args.seconds} s;"
          f" open loop {args.open_seconds} s per load; {len(runs)} run(s) from {started};"
          f" median [min-max] over the runs\n")
    print("| scenario | saturated req/s | alone p50 ms |"
          + "".join(f" {share:.0%}: p50 / p99 / p99.9 ms |" for share in LOADS))
    print("|---|---|---|" + "---|" * len(LOADS))
    for name in names:
        rows = [run[name] for run in runs]
        line = (f"| {name} | {spread([r['rps'] for r in rows], 0)} |"
                f" {spread([r['alone_p50'] for r in rows], 2)} |")
        for share in LOADS:
            if share not in rows[0]:
                line += " - |"
                continue
            line += (f" {spread([r[share]['p50'] for r in rows])} /"
                     f" {spread([r[share]['p99'] for r in rows])} /"
                     f" {spread([r[share]['p999'] for r in rows])} |")
        print(line)
    lags = [r[share]["lag"] for run in runs for r in run.values() for share in LOADS
            if share in r]
    failed = sum(r[share]["errors"] for run in runs for r in run.values() for share in LOADS
                 if share in r)
    print(f"\nthe generator's own send lag, p99: at most {max(lags):.2f} ms; failed requests"
          f" in the open-loop runs: {failed}\n")

    def ratio(a: str, b: str, key: str = "rps") -> str:
        return spread([run[a][key] / run[b][key] for run in runs], 2)

    first, search, tabs = names[0], names[1], names[2]
    print("| ratio | median [min-max] |\n|---|---|")
    print(f"| tab counts req/s / first page req/s | {ratio(tabs, first)} |")
    print(f"| 3-letter search req/s / first page req/s | {ratio(search, first)} |")
    print(f"| 3-letter search alone p50 / first page alone p50 |"
          f" {ratio(search, first, 'alone_p50')} |")
    print(f"| first page req/s / ceiling (a) select 1 | {ratio(first, names[3])} |")
    print(f"| first page req/s / ceiling (b) page statement | {ratio(first, names[4])} |")
    print(f"| ceiling (b) / ceiling (a) | {ratio(names[4], names[3])} |")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50_000)
    parser.add_argument("--others", type=int, default=5_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=10, help="wrk seconds per scenario")
    parser.add_argument("--open-seconds", type=float, default=10.0)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--api-port", type=int, default=18111)
    parser.add_argument("--ceiling-port", type=int, default=18112)
    parser.add_argument("--keep", action="store_true", help="keep the bench database")
    parser.add_argument("--reuse", action="store_true",
                        help="use the database a --keep run left instead of seeding again")
    args = parser.parse_args()
    if not wrk_load.available():
        sys.exit("needs wrk: apt-get install -y wrk")

    settings = Settings()
    secret = "bench-secret-" + uuid.uuid4().hex
    prefix = f"bench.latency.{uuid.uuid4().hex[:8]}"
    if args.reuse:
        dsn, seeded = dsn_of(settings.database_url, BENCH_DB), await seeded_firm(
            dsn_of(settings.database_url, BENCH_DB))
    else:
        dsn, seeded = await prepare_database(settings.database_url, args, BENCH_DB)
    await create_bench_topics(settings.kafka_bootstrap_servers, prefix)
    admin_id = seeded.admin_ids[0]
    caller = {"id": str(admin_id), "firm_id": str(seeded.big_firm), "role": "admin",
              "name": "", "email": "", "locale": "en"}
    token = mint_staff_token(admin_id, Settings(auth_jwt_secret=secret).staff_keys)
    service = start_service(dsn, args.api_port, secret, prefix, 1)
    ceilings = start_ceilings(dsn, args.ceiling_port, secret, caller)
    try:
        async with aiohttp.ClientSession() as session:
            await wait_ready(session, f"http://127.0.0.1:{args.api_port}")
        await wait_answers(f"http://127.0.0.1:{args.ceiling_port}/page")
        all_scenarios = scenarios(args.api_port, args.ceiling_port)
        started, runs = time.strftime("%Y-%m-%d %H:%M"), []
        args.generator = build_open_loop()
        for s in all_scenarios:  # warm up: prepared statements, caches
            await open_loop(args.generator, s, token, 200, 2)
        for n in range(args.runs):
            print(f"run {n + 1} of {args.runs} (load average {os.getloadavg()[0]:.1f})",
                  file=sys.stderr)
            runs.append({s.name: await measure(s, token, args) for s in all_scenarios})
        report(runs, [s.name for s in all_scenarios], args, started)
    finally:
        await clean_up(settings, [ceilings, service], None if args.keep else BENCH_DB, prefix)


if __name__ == "__main__":
    uvloop.run(main())
