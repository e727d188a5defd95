"""Benchmark of the Clients page list over HTTP (run by hand, not in CI).

Creates its own database (partner_portal_bench_clients), applies the clients migrations,
seeds one firm with 50,000 active clients plus two other firms, starts the clients service
with one uvicorn worker, and measures p50/p99 at 32 concurrent requests for: the first page
by name, a page 200 pages deep, a 3-letter search, the missing-receipts filter and the sort
by missing receipts; then EXPLAINs each query and flags sequential scans and big sorts.

Run: .venv/bin/python -m tests.bench.clients.bench_client_list [--requests 3000] [--keep]
     [--load wrk --seconds 10] [--workers 2]
With `--load wrk` (Debian package `wrk`) the concurrent load comes from wrk for `--seconds`
per scenario instead of the Python aiohttp client (see wrk_load.py).
"""

import argparse
import asyncio
import json
import os
import platform
import statistics
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass

import aiohttp
import asyncpg
from aiokafka.admin import AIOKafkaAdminClient

from services.clients.db.listing import page_document_query
from services.clients.domain.listing import ListRequest, plan_list
from services.clients.domain.visibility import Caller
from services.clients.db import MIGRATIONS
from shared.db.migrate import migrate_service
from shared.kafka.create_topics import create_topics
from shared.settings import Settings
from shared.tokens import mint_staff_token
from tests.bench.clients import wrk_load
from tests.bench.clients.seed import seed

BENCH_DB = "partner_portal_bench_clients"
SEARCHES = ["ber", "caf", "jan", "gar", "sor"]


@dataclass
class Scenario:
    name: str
    params: dict
    token: str
    caller: Caller
    rotate_q: list[str] | None = None
    path: str = "/v1/clients"


def dsn_of(base: str, database: str) -> str:
    return base.rsplit("/", 1)[0] + "/" + database


async def prepare_database(base_dsn: str, args,
                           database: str = BENCH_DB) -> tuple[str, object]:
    admin = await asyncpg.connect(base_dsn)
    await admin.execute(f"drop database if exists {database}")
    await admin.execute(f"create database {database}")
    await admin.close()
    dsn = dsn_of(base_dsn, database)
    conn = await asyncpg.connect(dsn)
    await conn.execute("create extension if not exists pg_trgm;"
                       " create extension if not exists unaccent")
    await migrate_service(conn, MIGRATIONS)
    started = time.perf_counter()
    seeded = await seed(conn, clients=args.clients, other_clients=args.others)
    await conn.execute("vacuum analyze")
    print(f"seeded in {time.perf_counter() - started:.1f}s", file=sys.stderr)
    await conn.close()
    return dsn, seeded


def start_service(dsn: str, port: int, secret: str, topic_prefix: str,
                  workers: int) -> subprocess.Popen:
    env = dict(os.environ, DATABASE_URL=dsn, AUTH_JWT_SECRET=secret, LOG_LEVEL="WARNING",
               DATABASE_POOL_MAX="20", CLIENTS_CONSUMER_GROUP=f"{topic_prefix}.group",
               EXPENSES_TOPIC=f"{topic_prefix}.expenses", WALLETS_TOPIC=f"{topic_prefix}.wallets",
               COMPANIES_TOPIC=f"{topic_prefix}.companies",
               VERIFICATION_TOPIC=f"{topic_prefix}.verification",
               ANNOUNCE_TOPIC=f"{topic_prefix}.announce")
    return subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "services.clients.app:app", "--host", "127.0.0.1",
         "--port", str(port), "--workers", str(workers), "--no-access-log",
         "--log-level", "warning"],
        env=env)


async def wait_ready(session: aiohttp.ClientSession, base: str) -> None:
    for _ in range(120):
        try:
            async with session.get(f"{base}/readyz") as r:
                if r.status == 200:
                    return
        except aiohttp.ClientError:
            pass
        await asyncio.sleep(0.5)
    raise RuntimeError("the clients service did not become ready")


async def walk(session, base, token, params, pages: int) -> tuple[str | None, int]:
    """Follow `pages` cursors; return the cursor of the last page reached and rows seen."""
    seen: set[str] = set()
    cursor = None
    for _ in range(pages):
        query = dict(params, **({"cursor": cursor} if cursor else {}))
        async with session.get(f"{base}/v1/clients", params=query,
                               headers={"Authorization": f"Bearer {token}"}) as r:
            body = await r.json()
        ids = [i["id"] for i in body["items"]]
        if seen.intersection(ids):
            raise AssertionError("a page repeated a client")
        seen.update(ids)
        if body["next_cursor"] is None:  # a small firm: the deepest page there is
            break
        cursor = body["next_cursor"]
    return cursor, len(seen)


async def measure(session, base, scenario: Scenario, requests: int,
                  concurrency: int) -> list[float]:
    latencies: list[float] = []
    counter = iter(range(requests))
    headers = {"Authorization": f"Bearer {scenario.token}"}

    async def worker() -> None:
        for i in counter:
            params = dict(scenario.params)
            if scenario.rotate_q:
                params["q"] = scenario.rotate_q[i % len(scenario.rotate_q)]
            started = time.perf_counter()
            async with session.get(f"{base}{scenario.path}", params=params,
                                   headers=headers) as r:
                await r.read()
                if r.status != 200:
                    raise AssertionError(f"{scenario.name}: HTTP {r.status}")
            latencies.append((time.perf_counter() - started) * 1000)

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return latencies


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * len(ordered) + 0.5)) - 1)]


def plan_nodes(node: dict):
    yield node
    for child in node.get("Plans", []):
        yield from plan_nodes(child)


async def explain(dsn: str, scenario: Scenario, secret: str) -> dict:
    params = dict(scenario.params)
    if scenario.rotate_q:
        params["q"] = scenario.rotate_q[0]
    req = ListRequest(**{k: v for k, v in params.items() if k != "limit"},
                      limit=int(params.get("limit", 50)))
    plan = plan_list(scenario.caller, req, secret)
    sql, args = page_document_query(plan)
    conn = await asyncpg.connect(dsn)
    try:
        doc = json.loads(await conn.fetchval(
            f"explain (analyze, buffers, format json) {sql}", *args))[0]
    finally:
        await conn.close()
    nodes = list(plan_nodes(doc["Plan"]))
    scans = sorted({f"{n['Node Type']} {n.get('Index Name') or n.get('Relation Name', '')}".strip()
                    for n in nodes if "Scan" in n["Node Type"]})
    # The staff table holds a few dozen rows (one 8 kB page): reading it whole is the
    # planner's right choice and no sign of a missing index; any other seq scan is flagged.
    seq = [n.get("Relation Name") for n in nodes
           if n["Node Type"] == "Seq Scan" and n.get("Relation Name") != "staff"]
    sorts = [n["Actual Rows"] for n in nodes if n["Node Type"] in ("Sort", "Incremental Sort")]
    return {"scans": scans, "seq_scans": seq, "sorted_rows": sorts,
            "execution_ms": doc["Execution Time"]}


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50_000)
    parser.add_argument("--others", type=int, default=5_000)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--port", type=int, default=18101)
    parser.add_argument("--keep", action="store_true", help="keep the bench database")
    parser.add_argument("--database", default=BENCH_DB,
                        help="the bench database's name (two runs at once need two)")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    parser.add_argument("--load", choices=("aiohttp", "wrk"), default="aiohttp",
                        help="what makes the concurrent load")
    parser.add_argument("--seconds", type=int, default=10, help="wrk: seconds per scenario")
    args = parser.parse_args()

    settings = Settings()
    secret = "bench-secret-" + uuid.uuid4().hex
    prefix = f"bench.clients.{uuid.uuid4().hex[:8]}"
    dsn, seeded = await prepare_database(settings.database_url, args, args.database)
    await create_bench_topics(settings.kafka_bootstrap_servers, prefix)
    service = start_service(dsn, args.port, secret, prefix, args.workers)
    base = f"http://127.0.0.1:{args.port}"
    try:
        await run(args, dsn, seeded, secret, base)
    finally:
        await clean_up(settings, [service], None if args.keep else args.database, prefix)


BENCH_TOPICS = ("expenses", "wallets", "companies", "verification", "announce")


async def create_bench_topics(bootstrap_servers: str, prefix: str) -> None:
    """The clients service's topics (and their .dlq twins) under `prefix`, one partition."""
    await create_topics(bootstrap_servers, [t for s in BENCH_TOPICS
                                            for t in (f"{prefix}.{s}", f"{prefix}.{s}.dlq")],
                        partitions=1)


async def clean_up(settings: Settings, processes: list[subprocess.Popen],
                   database: str | None, prefix: str) -> None:
    """Stop the benchmark's processes, drop its database (unless None) and its topics."""
    for proc in processes:
        proc.terminate()
        proc.wait(timeout=20)
    if database is not None:
        admin = await asyncpg.connect(settings.database_url)
        await admin.execute(f"drop database if exists {database}")
        await admin.close()
    await drop_topics(settings.kafka_bootstrap_servers, prefix)


async def drop_topics(bootstrap_servers: str, prefix: str) -> None:
    """Remove the benchmark's own topics."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers)
    await admin.start()
    try:
        await admin.delete_topics([t for t in await admin.list_topics()
                                   if t.startswith(prefix + ".")])
    finally:
        await admin.close()


async def run(args, dsn: str, seeded, secret: str, base: str) -> None:
    admin_id, keeper_id = seeded.admin_ids[0], seeded.bookkeeper_ids[0]
    admin = Caller(id=admin_id, firm_id=seeded.big_firm, role="admin", name="", email="",
                   locale="en")
    keeper = Caller(id=keeper_id, firm_id=seeded.big_firm, role="bookkeeper", name="",
                    email="", locale="en")
    keys = Settings(auth_jwt_secret=secret).staff_keys  # the service's default kid
    admin_token = mint_staff_token(admin_id, keys)
    keeper_token = mint_staff_token(keeper_id, keys)
    connector = aiohttp.TCPConnector(limit=args.concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:
        await wait_ready(session, base)
        first = {"tab": "all", "sort": "name", "limit": 50}
        deep_cursor, walked = await walk(session, base, admin_token, first, 200)
        scenarios = [
            Scenario("first page by name", first, admin_token, admin),
            Scenario("page 200 deep by name", dict(first, cursor=deep_cursor), admin_token, admin),
            Scenario("3-letter search", {"tab": "all", "limit": 50}, admin_token, admin,
                     rotate_q=SEARCHES),
            Scenario("missing-receipts filter", dict(first, missing_receipts="true"),
                     admin_token, admin),
            Scenario("sort by missing receipts", {"tab": "all", "sort": "missing_receipts",
                                                  "limit": 50}, admin_token, admin),
            Scenario("bookkeeper, my clients", {"tab": "my", "limit": 50}, keeper_token, keeper),
            Scenario("admin tab counts", {}, admin_token, admin, path="/v1/clients/tabs"),
        ]
        for s in scenarios:  # warm up caches and prepared statements
            await measure(session, base, s, 300, args.concurrency)
        rows = []
        for s in scenarios:
            alone = await measure(session, base, s, 300, 1)
            if args.load == "wrk":
                got = await asyncio.to_thread(
                    wrk_load.run_wrk, base, wrk_load.paths_of(s.path, s.params, s.rotate_q),
                    s.token, connections=args.concurrency, seconds=args.seconds)
                rows.append((s, got["p50"], got["p99"], None, pct(alone, 50)))
                print(f"{s.name}: {got['rps']:.0f} req/s ({got['requests']} requests)",
                      file=sys.stderr)
                continue
            lat = await measure(session, base, s, args.requests, args.concurrency)
            rows.append((s, pct(lat, 50), pct(lat, 99), statistics.fmean(lat), pct(alone, 50)))
            print(f"{s.name}: {len(lat) / (sum(lat) / 1000 / args.concurrency):.0f} req/s",
                  file=sys.stderr)
    print(f"\nwalked {walked} rows (up to 200 pages) without a duplicate\n")
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs,"
          f" Python {platform.python_version()}; {args.workers} uvicorn worker(s); load:"
          f" {args.load}, " + (f"{args.seconds} s" if args.load == "wrk" else
                               f"{args.requests} requests") +
          f" per scenario, {args.concurrency} concurrent\n")
    print("| scenario | p50 ms | p99 ms | mean ms | p50 ms alone | EXPLAIN (ANALYZE) scans |"
          " rows sorted | exec ms |")
    print("|---|---|---|---|---|---|---|---|")
    for s, p50, p99, mean, alone in rows:
        head = (f"| {s.name} | {p50:.1f} | {p99:.1f} |"
                f" {'-' if mean is None else f'{mean:.1f}'} | {alone:.1f} |")
        if s.path != "/v1/clients":
            print(f"{head} counter rows (migration 0008) | - | - |")
            continue
        plan = await explain(dsn, s, secret)
        flag = " **SEQ SCAN**" if plan["seq_scans"] else ""
        print(f"{head} {', '.join(plan['scans'])}{flag} | {plan['sorted_rows'] or '-'} |"
              f" {plan['execution_ms']:.2f} |")


if __name__ == "__main__":
    asyncio.run(main())
