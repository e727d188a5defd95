"""Open-loop HTTP load: requests sent on a fixed schedule, latency from the intended send time.

A closed-loop generator (wrk, or N workers each waiting for its answer) sends less while the
server stalls, so the stall shows in few samples: coordinated omission. Here request i is
due at start + i / rate whatever happened before; it goes out on an idle keep-alive
connection (a new one when all are busy, up to `max_connections`) and its latency counts
from when it was due, so a stall is charged to every request that should have been sent
during it.

The client is a minimal HTTP/1.1 keep-alive client on asyncio streams (GET only, answers
with Content-Length, as uvicorn sends them): it spends a few percent of a core at the
rates measured here, where aiohttp would compete with the server for the 2 cores.
"""

import asyncio
import time
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class OpenLoopResult:
    rate: float  # requests per second asked for
    sent: int
    latencies_ms: list[float]  # from the intended send time, sorted
    errors: int
    connections: int  # the most open at once
    achieved_rate: float  # answers per second over the run
    # How late the generator itself sent (p99, ms): charged to the server in latencies_ms,
    # so a figure is only meaningful while this stays well under it.
    send_lag_p99_ms: float

    def pct(self, p: float) -> float:
        values = self.latencies_ms
        return values[min(len(values) - 1, int(len(values) * p / 100))] if values else 0.0


class _Connection:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
        self.reader, self.writer = reader, writer

    async def get(self, request: bytes) -> int:
        """Send one prepared GET; read the whole answer; return its status."""
        self.writer.write(request)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        if length:
            await self.reader.readexactly(length)
        return status

    def close(self) -> None:
        self.writer.close()


def _request(host: str, port: int, path: str, headers: dict[str, str]) -> bytes:
    lines = [f"GET {path} HTTP/1.1", f"Host: {host}:{port}",
             *(f"{k}: {v}" for k, v in headers.items()), "", ""]
    return "\r\n".join(lines).encode()


async def open_loop(host: str, port: int, paths: list[str], headers: dict[str, str], *,
                    rate: float, seconds: float, max_connections: int = 256) -> OpenLoopResult:
    """GET `paths` in turn at `rate` per second for `seconds`, on schedule."""
    requests = [_request(host, port, p, headers) for p in paths]
    idle: list[_Connection] = []
    opened = 0
    most_open = 0
    latencies: list[float] = []
    lags: list[float] = []
    errors = 0
    total = int(rate * seconds)
    slots = asyncio.Semaphore(max_connections)

    async def one(i: int, due: float) -> None:
        nonlocal opened, most_open, errors
        async with slots:
            lags.append((time.perf_counter() - due) * 1000)
            conn = idle.pop() if idle else None
            try:
                if conn is None:
                    opened += 1
                    most_open = max(most_open, opened)
                    conn = _Connection(*await asyncio.open_connection(host, port))
                status = await conn.get(requests[i % len(requests)])
            except (OSError, asyncio.IncompleteReadError, ValueError):
                errors += 1
                if conn is not None:
                    conn.close()
                opened -= 1
                return
            latencies.append((time.perf_counter() - due) * 1000)
            if status != 200:
                errors += 1
            idle.append(conn)

    tasks = []
    start = time.perf_counter() + 0.05
    for i in range(total):
        due = start + i / rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(i, due)))
    await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - start
    for conn in idle:
        conn.close()
    latencies.sort()
    lags.sort()
    return OpenLoopResult(rate=rate, sent=total, latencies_ms=latencies, errors=errors,
                          connections=most_open, achieved_rate=len(latencies) / elapsed,
                          send_lag_p99_ms=lags[int(len(lags) * 0.99)] if lags else 0.0)
