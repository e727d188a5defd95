"""Where one `GET /v1/clients` spends the API process's CPU (run by hand, not in CI).

Calls the ASGI app directly (no HTTP server, no client library) in a loop over the database
the benchmark leaves with `--keep`, and prints the mean time per request and, with
`--profile`, the cProfile functions that took the most time.

Run: .venv/bin/python -m tests.bench.clients.bench_client_list --requests 300 --keep
     .venv/bin/python -m tests.bench.clients.profile_client_list [--requests 3000] [--profile]
"""

import argparse
import asyncio
import cProfile
import pstats
import sys
import time
import uuid

import asyncpg

from services.clients.app import create_app
from services.clients.runtime import Runtime
from services.clients.settings import ClientsSettings
from shared.db.pool import create_pool
from shared.tokens import mint_staff_token
from tests.bench.clients.bench_client_list import BENCH_DB, dsn_of

QUERIES = ["tab=all&sort=name&limit=50", "tab=all&limit=50&q=ber",
           "tab=all&sort=name&limit=50&missing_receipts=true",
           "tab=all&sort=missing_receipts&limit=50"]


async def call(app, query: str, token: str) -> bytes:
    """One request through the ASGI interface, as uvicorn would make it."""
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
             "method": "GET", "scheme": "http", "path": "/v1/clients", "raw_path": b"/v1/clients",
             "query_string": query.encode(), "root_path": "",
             "headers": [(b"host", b"bench"), (b"authorization", f"Bearer {token}".encode())],
             "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80), "state": {}}
    body: list[bytes] = []
    status = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        if message["type"] == "http.response.start":
            status.append(message["status"])
        else:
            body.append(message.get("body", b""))

    await app(scope, receive, send)
    if status != [200]:
        raise AssertionError(f"HTTP {status} for {query}: {b''.join(body)[:200]!r}")
    return b"".join(body)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    base = ClientsSettings()
    secret = "profile-secret-" + uuid.uuid4().hex
    settings = ClientsSettings(database_url=dsn_of(base.database_url, BENCH_DB),
                               auth_jwt_secret=secret)
    pool = await create_pool(settings.database_url, min_size=1, max_size=2)
    admin_id = await pool.fetchval(
        "select s.id from clients.staff s join clients.links l on l.firm_id = s.firm_id"
        " where s.role = 'admin' group by s.id order by count(*) desc limit 1")
    token = mint_staff_token(admin_id, settings.staff_keys)
    app = create_app(runtime=Runtime(settings=settings, pool=pool))
    for i in range(200):  # warm up prepared statements
        await call(app, QUERIES[i % len(QUERIES)], token)
    profiler = cProfile.Profile() if args.profile else None
    started, cpu = time.perf_counter(), time.process_time()
    if profiler:
        profiler.enable()
    for i in range(args.requests):
        await call(app, QUERIES[i % len(QUERIES)], token)
    if profiler:
        profiler.disable()
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(f"{args.requests} requests one at a time: {elapsed / args.requests * 1000:.3f} ms"
          f" wall clock each (incl. the database), {cpu / args.requests * 1000:.3f} ms CPU"
          " of this process each", file=sys.stderr)
    await pool.close()
    if profiler:
        stats = pstats.Stats(profiler)
        stats.sort_stats("cumulative").print_stats(45)
        stats.sort_stats("tottime").print_stats(30)


if __name__ == "__main__":
    asyncio.run(main())
