"""Benchmark of the portal's Clients page against the API call it makes (run by hand).

Seeds the clients benchmark's firm (50,000 active clients, its own database, see
tests/bench/clients/seed.py), starts the clients service and the portal (one uvicorn worker
each), signs the admin in, and measures in one run, side by side and interleaved in rounds:
the portal's server-side render of the Clients page (`GET /clients?tab=all`), its list
fragment (`GET /clients/rows?tab=all`, one API call) and the calls they make
(`GET /v1/clients?tab=all&sort=name&limit=<page size>`, the tab counts, the staff), alone
(one request at a time) and under concurrent load, with the portal's CPU per page and per
fragment; then what the page transfers (HTML, CSS, scripts). The portal keeps tab counts
and staff per session for PORTAL_LISTS_CACHE_SECONDS (the product's default 0 asks for all
three every time; `--lists-cache-seconds 15` measures them kept).

Targets (PORTAL.md): page p50 <= 30 ms; page p99 <= 2x the API call's p99; <= 100 kB.

Run: .venv/bin/python -m tests.bench.portal.bench_clients_page [--requests 1000]
     [--concurrency 8] [--clients 50000] [--lists-cache-seconds 0] [--keep]
"""

import argparse
import asyncio
import os
import platform
import re
import subprocess
import sys
import time
import uuid
from urllib.parse import urljoin

import aiohttp
import httpx

from shared.settings import Settings
from shared.tokens import mint_staff_token
from tests.bench.clients.bench_client_list import (BENCH_DB, clean_up, create_bench_topics,
                                                   pct, prepare_database, start_service,
                                                   wait_ready)

PAGE = "/clients?tab=all"
FRAGMENT = "/clients/rows?tab=all"
PORTAL_TARGETS = ("page", "fragment")
PAGE_SIZE = 50
ASSETS = re.compile(r'<(?:link[^>]+rel="stylesheet"[^>]+href|script[^>]+src)="([^"]+)"')


def start_portal(port: int, clients_url: str, secret: str,
                 lists_cache_seconds: float) -> subprocess.Popen:
    # Production mode (templates compiled once, no reload checks), so real secrets each.
    secrets = {name: f"bench-{name.lower()}-{uuid.uuid4().hex}" for name in (
        "GRANT_SIGNING_KEY", "UNSUBSCRIBE_SIGNING_KEY", "INTERNAL_API_TOKEN",
        "VERIFICATION_WEBHOOK_SECRET", "PORTAL_SESSION_SECRET")}
    env = dict(os.environ, **secrets, CLIENTS_API_URL=clients_url, AUTH_JWT_SECRET=secret,
               LOG_LEVEL="WARNING", CLIENTS_PAGE_SIZE=str(PAGE_SIZE), APP_ENV="production",
               PORTAL_LISTS_CACHE_SECONDS=str(lists_cache_seconds))
    return subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "services.portal.app:app", "--host", "127.0.0.1",
         "--port", str(port), "--no-access-log", "--log-level", "warning"], env=env)


async def timed(session: aiohttp.ClientSession, url: str, headers: dict, requests: int,
                concurrency: int) -> list[float]:
    """Latencies (ms) of `requests` GETs of `url`, `concurrency` at a time."""
    latencies: list[float] = []
    counter = iter(range(requests))

    async def worker() -> None:
        for _ in counter:
            started = time.perf_counter()
            async with session.get(url, headers=headers, allow_redirects=False) as r:
                await r.read()
                if r.status != 200:
                    raise AssertionError(f"{url}: HTTP {r.status}")
            latencies.append((time.perf_counter() - started) * 1000)

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return latencies


async def side_by_side(session, targets: dict[str, tuple[str, dict]], requests: int,
                       concurrency: int, rounds: int = 10, cpu=lambda: 0.0,
                       ) -> tuple[dict[str, list[float]], dict[str, float]]:
    """Every target in alternating rounds, so all meet the same machine state; with the
    portal's CPU seconds spent while each target was asked for (`cpu` reads them)."""
    latencies: dict[str, list[float]] = {name: [] for name in targets}
    spent = dict.fromkeys(targets, 0.0)
    for _ in range(rounds):
        for name, (url, headers) in targets.items():
            before = cpu()
            latencies[name] += await timed(session, url, headers, requests // rounds,
                                           concurrency)
            spent[name] += cpu() - before
    return latencies, spent


def transferred(portal: str, cookie: dict) -> dict[str, int]:
    """Bytes on the wire (gzip if the server offers it) of the page and its CSS and scripts."""
    sizes: dict[str, int] = {}
    with httpx.Client(cookies=cookie, headers={"Accept-Encoding": "gzip"}) as http:
        page = http.get(f"{portal}{PAGE}")
        page.raise_for_status()
        sizes[PAGE] = page.num_bytes_downloaded
        for ref in dict.fromkeys(ASSETS.findall(page.text)):
            asset = http.get(urljoin(f"{portal}{PAGE}", ref))
            asset.raise_for_status()
            sizes[ref] = asset.num_bytes_downloaded
    return sizes


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc)."""
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def sign_in(portal: str, token: str) -> dict:
    with httpx.Client() as http:
        answer = http.post(f"{portal}/session", data={"token": token})
        if answer.status_code not in (302, 303):
            raise AssertionError(f"sign-in: HTTP {answer.status_code} {answer.text[:200]}")
        return dict(answer.cookies)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50_000)
    parser.add_argument("--others", type=int, default=5_000)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--api-port", type=int, default=18201)
    parser.add_argument("--portal-port", type=int, default=18200)
    parser.add_argument("--lists-cache-seconds", type=float, default=0.0)
    parser.add_argument("--keep", action="store_true", help="keep the bench database")
    args = parser.parse_args()

    settings = Settings()
    secret = "bench-secret-" + uuid.uuid4().hex
    prefix = f"bench.portal.{uuid.uuid4().hex[:8]}"
    dsn, seeded = await prepare_database(settings.database_url, args)
    await create_bench_topics(settings.kafka_bootstrap_servers, prefix)
    api_base = f"http://127.0.0.1:{args.api_port}"
    portal = f"http://127.0.0.1:{args.portal_port}"
    service = start_service(dsn, args.api_port, secret, prefix, 1)
    web = start_portal(args.portal_port, api_base, secret, args.lists_cache_seconds)
    try:
        await run(args, seeded, secret, api_base, portal, web.pid)
    finally:
        await clean_up(settings, [web, service], None if args.keep else BENCH_DB, prefix)


async def run(args, seeded, secret: str, api_base: str, portal: str, portal_pid: int) -> None:
    started, load_before = time.strftime("%Y-%m-%d %H:%M"), os.getloadavg()[0]
    keys = Settings(auth_jwt_secret=secret).staff_keys
    token = mint_staff_token(seeded.admin_ids[0], keys)
    async with aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=max(args.concurrency, 1))) as session:
        await wait_ready(session, api_base)
        await wait_ready(session, portal)
        cookie = sign_in(portal, token)
        cookie_header = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookie.items())}
        bearer = {"Authorization": f"Bearer {token}"}
        # The page and the three calls it makes at once (list, tab counts, staff for the
        # Assigned-to filter); the list is "the API call" of the target.
        targets = {"page": (f"{portal}{PAGE}", cookie_header),
                   # The list fragment (search as you type, Load more): exactly one API call.
                   "fragment": (f"{portal}{FRAGMENT}", cookie_header),
                   "API list": (f"{api_base}/v1/clients?tab=all&sort=name&limit={PAGE_SIZE}",
                                bearer),
                   "API tabs": (f"{api_base}/v1/clients/tabs", bearer),
                   "API staff": (f"{api_base}/v1/staff", bearer)}
        await side_by_side(session, targets, 400, args.concurrency)  # warm up
        results, cpu_ms = {}, {}
        for concurrency in (1, args.concurrency):
            requests = args.requests if concurrency > 1 else max(args.requests // 2, 100)
            # The portal works only while its page or fragment is asked for: CPU per each.
            results[concurrency], spent = await side_by_side(
                session, targets, requests, concurrency, cpu=lambda: cpu_seconds(portal_pid))
            cpu_ms[concurrency] = {name: spent[name] * 1000 / len(results[concurrency][name])
                                   for name in PORTAL_TARGETS}
    sizes = transferred(portal, cookie)

    print(f"\nmachine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs,"
          f" Python {platform.python_version()}; one uvicorn worker each for the clients"
          f" service and the portal; {args.clients} active clients in the firm;"
          f" {args.requests} requests per measurement in 10 alternating rounds;"
          f" lists kept {args.lists_cache_seconds:g} s; started {started}, load average"
          f" {load_before:.1f} then, {os.getloadavg()[0]:.1f} at the end\n")
    print("| concurrent | what | p50 ms | p99 ms | page p99 / its p99 |"
          " fragment p99 / its p99 |")
    print("|---|---|---|---|---|---|")
    for concurrency, measured in results.items():
        page_p99, fragment_p99 = pct(measured["page"], 99), pct(measured["fragment"], 99)
        for name in PORTAL_TARGETS:
            print(f"| {concurrency} | portal CPU per {name} | {cpu_ms[concurrency][name]:.1f}"
                  f" | | | |")
        for name, ms in measured.items():
            ratios = ("- | -" if name in PORTAL_TARGETS else
                      f"{page_p99 / pct(ms, 99):.2f} | {fragment_p99 / pct(ms, 99):.2f}")
            print(f"| {concurrency} | {name} | {pct(ms, 50):.1f} | {pct(ms, 99):.1f} |"
                  f" {ratios} |")
    total = sum(sizes.values())
    print("\n| transferred (gzip when offered) | bytes |\n|---|---|")
    for name, size in sizes.items():
        print(f"| {name} | {size} |")
    print(f"| **total** | **{total}** ({total / 1000:.1f} kB; target <= 100 kB) |")


if __name__ == "__main__":
    asyncio.run(main())
