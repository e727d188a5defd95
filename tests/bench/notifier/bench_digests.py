"""Benchmark of the notifier, run by hand: 20,000 staff with digests over 50,000 clients.

Run: .venv/bin/python -m tests.bench.notifier.bench_digests [--expense-events 200000]
Needs the local PostgreSQL and Kafka; starts its own SMTP sink (aiosmtpd) and notifier
process, seeds the notifier's tables with COPY and removes its data again at the end.

Measures, in one run:
(a) Monday tick -> last digest accepted by the sink, as a rate, against plain aiosmtplib
    sending a digest-sized message to the same sink over as many connections;
(b) the notifier process's peak RSS (VmHWM);
(c) platform.expenses.v1 events applied per second, against a faust agent that does
    nothing (noop_agent.py: faust's own ceiling) and a bare aiokafka consumer, both reading
    the same topic.
"""

import argparse
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import asyncpg
import httpx
import uvloop

from services.notifier.domain.emails import EmailToSend, Recipient
from services.notifier.emails.compose import Composer
from services.notifier.settings import NotifierSettings
from shared.db.migrate import migrate_all
from shared.kafka.producer import EventProducer
from tests.bench.notifier import baselines, seed
from tests.integration.notifier import factories as f
from tests.integration.notifier.process import REPO, NotifierProcess
from tests.integration.notifier.smtp_sink import free_port
from tests.integration.waiting import wait_for

# Monday 1 June 2026 is a first Monday: daily, weekly and monthly settings are all due.
SEND_TIME = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)


def sink_stats(path: Path) -> tuple[int, float]:
    try:
        count, last = path.read_text().split()
        return int(count), float(last)
    except (FileNotFoundError, ValueError):
        return 0, 0.0


async def handled_expenses(http: httpx.AsyncClient, port: int) -> float:
    text = (await http.get(f"http://127.0.0.1:{port}/metrics")).text
    return sum(float(line.rsplit(" ", 1)[1]) for line in text.splitlines()
               if line.startswith("events_handled_total{")
               and 'consumer="notifier.expenses"' in line)


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def sample_digest(settings: NotifierSettings) -> bytes:
    """A digest of six clients, the size the sender sends on average here."""
    clients = [{"client_id": str(uuid.uuid4()), "name": f"Cliënt {i} B.V.", "frequency": "weekly",
                "missing_receipts": i, "ready_for_export": 2, "wallet_balance_minor": 123456,
                "wallet_currency": "EUR"} for i in range(6)]
    email_id = uuid.uuid4()
    firm_id, now = uuid.uuid4(), datetime.now(UTC)
    digest = EmailToSend(
        kind="digest", id=email_id, staff_id=uuid.uuid4(),
        message_id=f"<digest.{email_id}@partner-portal.local>", created_at=now,
        scheduled_for=SEND_TIME, admin_name=None, attempts=0, lease_until=now,
        recipient=Recipient(email="raw@example.com", name="Jan", locale="nl", active=True,
                            firm_id=firm_id),
        payload={"firm_id": str(firm_id), "clients": clients})
    return Composer(settings).compose(digest).data


async def measure_expenses(proc: NotifierProcess, total: int) -> float:
    """Events per second from the first expense applied to the last (polled /metrics)."""
    async with httpx.AsyncClient() as http:
        async def started():
            try:
                return await handled_expenses(http, proc.web_port) > 0
            except httpx.HTTPError:
                return False
        await wait_for(started, timeout=120, interval=0.02)
        t0, first = time.monotonic(), await handled_expenses(http, proc.web_port)
        await wait_for(lambda: _reached(http, proc.web_port, total), timeout=600, interval=0.05)
        return (total - first) / (time.monotonic() - t0)


async def _reached(http, port, total) -> bool:
    return await handled_expenses(http, port) >= total


async def measure_digests(proc, producer, conn, stats: Path, origin: str) -> dict:
    base, _ = sink_stats(stats)
    t0 = time.monotonic()
    await producer.send(proc.topics["ticks"], f.tick(SEND_TIME))
    # One statement writes every digest of the send time: the first count above 0 is all.
    digests = await wait_for(lambda: conn.fetchval(
        "select count(*) from notifier.email_outbox where origin = $1 and kind = 'digest'"
        " and scheduled_for = $2", origin, SEND_TIME), timeout=300, interval=0.05)
    t_written = time.monotonic()
    await wait_for(lambda: sink_stats(stats)[0] >= base + digests, timeout=900, interval=0.05)
    last = sink_stats(stats)[1]
    return {"digests": digests, "written_s": t_written - t0, "total_s": last - t0,
            "rate": digests / (last - t0)}


async def main(args) -> dict:
    settings = NotifierSettings()
    run, rng = uuid.uuid4().hex[:8], random.Random(args.seed)
    origin = f"bench-{run}"
    await migrate_all(settings.database_url)
    conn = await asyncpg.connect(settings.database_url)
    await conn.set_type_codec("jsonb", encoder=json.dumps, decoder=json.loads,
                              schema="pg_catalog")
    # A run that died before its clean-up must not add its staff to this one.
    await conn.execute("update notifier.staff set active = false"
                       " where email like 'bench-%@example.com' and active")
    pop = seed.build(run=run, firms=args.firms, staff_per_firm=args.staff_per_firm,
                     clients_per_firm=args.clients_per_firm, admins_per_firm=4,
                     first_digest_at=SEND_TIME, rng=rng)
    t = time.monotonic()
    await seed.copy_in(conn, pop)
    seeded_s = time.monotonic() - t
    print(f"seeded {len(pop.staff)} staff, {len(pop.clients)} clients, "
          f"{len(pop.preferences)} settings in {seeded_s:.1f}s", flush=True)

    workdir = Path(tempfile.mkdtemp(prefix="bench-notifier-"))
    stats, sink_port = workdir / "sink.stats", free_port()
    sink = subprocess.Popen([sys.executable, "-m", "tests.bench.notifier.counting_sink",
                             str(sink_port), str(stats)], cwd=REPO)
    proc = NotifierProcess(app_id=origin, smtp_port=sink_port, log_dir=workdir,
                           notifier_smtp_connections=args.connections,
                           notifier_send_lease_seconds=120, log_level="WARNING",
                           notifier_consumer_batch_seconds=0.2)
    producer = EventProducer(settings.kafka_bootstrap_servers, client_id="bench")
    await producer.start()
    result = {"run": run, "staff": len(pop.staff), "clients": len(pop.clients),
              "settings": len(pop.preferences), "seed_s": round(seeded_s, 1)}
    try:
        await proc.create_topics(settings.kafka_bootstrap_servers, partitions=6)
        records = baselines.expense_records(pop.client_ids, args.expense_events, rng)
        await baselines.produce(settings.kafka_bootstrap_servers, proc.topics["expenses"], records)
        result["bare_consumer_eps"] = await baselines.bare_consumer_rate(
            settings.kafka_bootstrap_servers, proc.topics["expenses"], len(records))
        print(f"bare aiokafka consumer: {result['bare_consumer_eps']:.0f} events/s", flush=True)
        result["faust_noop_eps"] = noop_agent_rate(proc.topics["expenses"], len(records),
                                                   workdir)
        print(f"faust agent doing nothing: {result['faust_noop_eps']:.0f} events/s", flush=True)

        proc.start()
        result["notifier_expenses_eps"] = await measure_expenses(proc, len(records))
        print(f"notifier applied: {result['notifier_expenses_eps']:.0f} events/s", flush=True)
        async with asyncpg.create_pool(settings.database_url, min_size=1, max_size=2) as pool:
            await proc.wait_ready(pool, producer)

        await wait_for(lambda: sink.poll() is None and stats.exists(), timeout=10,
                       interval=0.05)
        result["raw_smtp_mps"] = await baselines.raw_smtp_rate(
            sink_port, sample_digest(settings), args.raw_messages, args.connections)
        print(f"raw aiosmtplib: {result['raw_smtp_mps']:.0f} messages/s", flush=True)
        result |= {f"digest_{k}": v for k, v in
                   (await measure_digests(proc, producer, conn, stats, origin)).items()}
        result["peak_rss_mb"] = peak_rss_mb(proc.proc.pid)
    finally:
        proc.stop()
        sink.terminate()
        await producer.stop()
        await seed.remove(conn, pop, origin)
        await conn.close()
    result["digest_ratio"] = result["digest_rate"] / result["raw_smtp_mps"]
    result["expenses_ratio"] = result["notifier_expenses_eps"] / result["bare_consumer_eps"]
    result["expenses_faust_ratio"] = result["notifier_expenses_eps"] / result["faust_noop_eps"]
    return result


def noop_agent_rate(topic: str, total: int, workdir: Path) -> float:
    """Events per second of a faust agent doing nothing over `topic` (noop_agent.py)."""
    out = workdir / "noop.rate"
    agent = subprocess.Popen([sys.executable, "-m", "tests.bench.notifier.noop_agent", topic,
                              str(total), str(out)], cwd=REPO)
    try:
        agent.wait(timeout=600)
    finally:
        agent.kill()
    return float(out.read_text())


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in
                Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")),
               platform.processor())
    mem = int(Path("/proc/meminfo").read_text().split()[1]) // 1024 // 1024
    return f"{os.cpu_count()} x {cpu}, {mem} GB RAM, Python {platform.python_version()}"


def report(r: dict) -> str:
    return "\n".join([
        f"machine: {machine()}",
        f"data: {r['staff']} staff, {r['clients']} clients, {r['settings']} settings",
        f"(a) {r['digest_digests']} digests: tick -> last accepted {r['digest_total_s']:.1f} s "
        f"(written to the outbox after {r['digest_written_s']:.1f} s) = "
        f"{r['digest_rate']:.0f}/s; raw aiosmtplib {r['raw_smtp_mps']:.0f}/s; "
        f"ratio {r['digest_ratio']:.2f} (target >= 0.7)",
        f"(b) notifier peak RSS {r['peak_rss_mb']:.0f} MB (target <= 400)",
        f"(c) expense events applied {r['notifier_expenses_eps']:.0f}/s; a faust agent doing "
        f"nothing {r['faust_noop_eps']:.0f}/s: ratio {r['expenses_faust_ratio']:.2f} "
        f"(target >= 0.85); bare aiokafka {r['bare_consumer_eps']:.0f}/s: ratio "
        f"{r['expenses_ratio']:.3f}",
    ])


def cli() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--firms", type=int, default=500)
    parser.add_argument("--staff-per-firm", type=int, default=40)
    parser.add_argument("--clients-per-firm", type=int, default=100)
    parser.add_argument("--expense-events", type=int, default=200_000)
    # As many as the digests: both rates are taken over runs of the same length.
    parser.add_argument("--raw-messages", type=int, default=20_000)
    parser.add_argument("--connections", type=int,
                        default=NotifierSettings().notifier_smtp_connections)
    parser.add_argument("--seed", type=int, default=5)
    # The same event loop as the notifier's, so the raw baselines run on equal terms.
    result = uvloop.run(main(parser.parse_args()))
    print(report(result))
    print(json.dumps(result))


if __name__ == "__main__":
    cli()
