"""The simulator on the real broker: every event arrives once, keyed by its client, paced."""

import asyncio
import os
import signal
import sys
import time
import uuid
from collections import Counter
from pathlib import Path

import pytest

from services.platform_simulator.cli import parse_options
from services.platform_simulator.domain.simulation import Simulation
from services.platform_simulator.runner import run_live
from services.platform_simulator.settings import SimulatorSettings
from shared.events import decode
from shared.kafka.producer import EventProducer

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[3]
PINNED = ["--seed", "11", "--start-time", "2026-11-23T09:00:00+01:00"]


@pytest.fixture
async def sim_producer(settings):
    producer = EventProducer(settings.kafka_bootstrap_servers, client_id="sim-tests")
    await producer.start()
    yield producer
    await producer.stop()


def _options(argv):
    return parse_options(argv, SimulatorSettings(app_env="test"))


async def test_a_burst_arrives_once_each_on_its_topic_keyed_by_client(
        topic_prefix, read_back, sim_producer):
    argv = ["--clients", "25", "--firm-id", str(uuid.uuid4()), "--invite", "3",
            "--events", "400", "--rate", "0", "--topic-prefix", topic_prefix, *PINNED]
    options = _options(argv)
    tally, _ = await run_live(Simulation(options.plan), producer=sim_producer,
                              limits=options.limits, topic_prefix=topic_prefix)
    records = await read_back(topic_prefix, 400)

    assert len(records) == tally.total == 400
    events = [decode(r.value) for r in records]
    assert all(r.key == e.envelope.subject.encode() == str(e.data.client_id).encode()
               for r, e in zip(records, events, strict=True))
    assert Counter(r.topic for r in records) == tally.by_topic
    assert Counter(e.type for e in events) == tally.by_type
    assert tally.by_type["company.bookkeeper_invited"] == 3
    # What went to Kafka is exactly the seeded stream a dry run prints.
    expected = {e.id for e in _first_events(options, 400)}
    assert {e.id for e in events} == expected


def _first_events(options, count):
    stream = Simulation(options.plan).events()
    return [next(stream) for _ in range(count)]


async def test_a_client_s_events_keep_their_order_on_one_partition(
        topic_prefix, read_back, sim_producer):
    options = _options(["--clients", "4", "--events", "300", "--rate", "0",
                        "--topic-prefix", topic_prefix, "--sequence-start", "1", *PINNED])
    await run_live(Simulation(options.plan), producer=sim_producer, limits=options.limits,
                   topic_prefix=topic_prefix)
    records = await read_back(topic_prefix, 300)
    by_client: dict[bytes, list] = {}
    for r in sorted(records, key=lambda r: (r.topic, r.partition, r.offset)):
        if r.topic.endswith("wallets.v1"):
            by_client.setdefault(r.key, []).append((r.partition, decode(r.value).envelope))
    assert len(by_client) == 4
    for entries in by_client.values():
        assert len({partition for partition, _ in entries}) == 1
        assert [env.sequence for _, env in entries] == list(range(1, len(entries) + 1))


async def test_the_rate_paces_the_run_for_its_duration(topic_prefix, read_back, sim_producer):
    options = _options(["--clients", "5", "--rate", "40", "--duration", "1.5",
                        "--topic-prefix", topic_prefix, *PINNED])
    started = time.monotonic()
    tally, elapsed = await run_live(Simulation(options.plan), producer=sim_producer,
                                    limits=options.limits, topic_prefix=topic_prefix)
    wall = time.monotonic() - started
    # 40/s for 1.5 s: 60 events (+1 sent at t=0, a few less if the broker lags).
    assert 55 <= tally.total <= 61
    assert 1.5 <= elapsed < 2.0 and wall < 2.5
    assert len(await read_back(topic_prefix, tally.total)) == tally.total


async def _cli(*args, stop_after: float | None = None):
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "services.platform_simulator", *args, cwd=ROOT,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(ROOT)})
    if stop_after is not None:
        await asyncio.sleep(stop_after)
        proc.send_signal(signal.SIGTERM)
    out, err = await asyncio.wait_for(proc.communicate(), timeout=60)
    return proc.returncode, out.decode(), err.decode()


async def test_the_command_sends_and_summarises(topic_prefix, read_back, tmp_path, settings):
    ids = tmp_path / "clients.txt"
    clients = [uuid.uuid4() for _ in range(3)]
    ids.write_text("".join(f"{c}\n" for c in clients))
    code, _, err = await _cli("--clients-file", str(ids), "--events", "60", "--rate", "0",
                              "--topic-prefix", topic_prefix, *PINNED)
    assert code == 0, err
    assert f"60 events to {settings.kafka_bootstrap_servers}" in err
    records = await read_back(topic_prefix, 60)
    assert len(records) == 60
    assert {r.key.decode() for r in records} <= {str(c) for c in clients}


async def test_sigterm_stops_the_command_cleanly_with_an_honest_summary(
        topic_prefix, read_back):
    code, _, err = await _cli("--clients", "10", "--rate", "30", "--progress-every", "0.5",
                              "--topic-prefix", topic_prefix, *PINNED, stop_after=3.0)
    assert code == 0, err
    assert "Traceback" not in err
    assert "events (" in err  # at least one progress line went by
    summary = next(line for line in err.splitlines() if line.startswith("platform simulator:"))
    sent = int(summary.split(":")[1].split()[0])
    assert sent > 10
    assert len(await read_back(topic_prefix, sent)) == sent


async def test_an_unreachable_broker_exits_1_with_a_message():
    code, _, err = await _cli("--clients", "2", "--events", "5",
                              "--bootstrap-servers", "127.0.0.1:1")
    assert code == 1
    assert "Kafka at 127.0.0.1:1 failed" in err
    assert "Traceback" not in err


async def test_a_burst_goes_first_then_the_gentle_rate(topic_prefix, read_back, sim_producer):
    options = _options(["--clients", "8", "--burst", "200", "--rate", "4", "--duration", "1.2",
                        "--topic-prefix", topic_prefix, *PINNED])
    tally, elapsed = await run_live(Simulation(options.plan), producer=sim_producer,
                                    limits=options.limits, topic_prefix=topic_prefix)
    # 200 at once, then 4/s for 1.2 s: 200 + 1 + 4 (a lagging broker may cost one or two).
    assert 203 <= tally.total <= 205
    assert 1.2 <= elapsed < 2.5
    assert len(await read_back(topic_prefix, tally.total)) == tally.total
