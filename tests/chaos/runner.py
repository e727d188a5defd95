"""One fault after the other: load on, fault in, fault out, wait until all is right again."""

import asyncio
import json
import signal
import subprocess
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

import asyncpg

from services.notifier.settings import NotifierSettings
from tests.chaos.digests import Digests
from tests.chaos.faults import FAULTS, Context, Fault
from tests.chaos.smtp import StoppableSink
from tests.chaos.stack import LOGS, ROOT, RUN_DIR, SERVICES, Stack
from tests.chaos.table import Row
from tests.chaos.topics import TopicReader, event_id, headers_text
from tests.chaos.truth import CONSUMERS, unprocessed, wrong_clients

POLL_SECONDS = 3.0
# While waiting for recovery, say what is still wrong this often.
PROGRESS_SECONDS = 30.0


@dataclass(frozen=True)
class Options:
    only: tuple[str, ...]
    pg_down_seconds: float
    smtp_down_seconds: float
    rate: float
    clients: int
    staff: int
    warmup: float
    smtp_delay: float
    keep_running: bool


class Harness:
    def __init__(self, options: Options):
        self.options = options
        self.stack = Stack()
        self.sink = StoppableSink(self.stack.ports.smtp, data_delay=options.smtp_delay)
        self.truth: dict[str, dict] = {}
        self.ids: dict[str, set[str]] = defaultdict(set)
        self.events_reader = TopicReader(self.stack.bootstrap_servers)
        self.dlq_reader = TopicReader(self.stack.bootstrap_servers)
        self.started = time.monotonic()
        settings = NotifierSettings(kafka_bootstrap_servers=self.stack.bootstrap_servers)
        self.digests = Digests(self.stack.url("clients"), settings, staff=options.staff)
        self.ctx = Context(self.stack, self.sink, self.digests, options.pg_down_seconds,
                           options.smtp_down_seconds, self.say)

    def say(self, message: str) -> None:
        minutes, seconds = divmod(int(time.monotonic() - self.started), 60)
        print(f"[{minutes:02d}:{seconds:02d}] {message}", flush=True)

    async def run(self) -> list[Row]:
        faults = [f for f in FAULTS if not self.options.only or f.name in self.options.only]
        try:
            self.say(f"starting the chaos stack in {RUN_DIR.relative_to(ROOT)} "
                     f"(PostgreSQL :{self.stack.ports.postgres}, Kafka :{self.stack.ports.kafka},"
                     f" SMTP :{self.stack.ports.smtp}, services :28001-28003)")
            self.sink.start()
            await self.stack.start()
            self.say("services ready; setting up staff with weekly digests")
            await self.digests.set_up()
            await self.digests.wait_known(self.stack.database_url)
            self.say(f"{len(self.digests.emails)} staff on weekly digests, known to the notifier")
            await self.dlq_reader.read_new(suffix=".dlq")
            return [await self.run_fault(FAULTS.index(f), f) for f in faults]
        finally:
            if self.options.keep_running:
                self.say(f"--keep-running: the stack stays up (logs in {LOGS})")
            else:
                await self.stack.stop()
            self.sink.stop()

    async def run_fault(self, index: int, fault: Fault) -> Row:
        row = Row(fault.name)
        send_time = self.digests.monday(index)
        self.say(f"== {fault.name}: load {self.options.rate:g} events/s on "
                 f"{self.options.clients} new clients, digests of {send_time:%Y-%m-%d %H:%M} UTC")
        figures = RUN_DIR / f"figures-{fault.name}.json"
        load = self._start_load(seed=1000 + index, figures=figures)
        try:
            await asyncio.sleep(self.options.warmup)
            repaired = await fault.inject(self.ctx, send_time)
        except Exception as exc:  # noqa: BLE001 - reported in the row; the next fault runs
            self.say(f"{fault.name}: injecting failed: {exc!r}")
            row.why.append(f"injection failed: {exc!r}"[:300])
            repaired = time.monotonic()
        code = await self._stop_load(load)
        if code != 0:
            row.why.append(f"load generator exited {code} (see {LOGS}/load.log)")
        self.truth.update(json.loads(figures.read_text()) if figures.exists() else {})
        self.say(f"{fault.name}: repaired; load stopped; waiting for the truth "
                 f"({len(self.truth)} clients) and {len(self.digests.emails)} digests")
        settled = await self._settle(row, send_time, repaired, fault.settle_timeout)
        await self._dead_letters(row)
        row.passed = settled and not row.why
        self.say(f"{fault.name}: {'pass' if row.passed else 'FAIL'}"
                 f" ({'; '.join(row.why) or 'all checks hold'})")
        return row

    def _start_load(self, *, seed: int, figures) -> subprocess.Popen:
        args = [sys.executable, "-m", "tests.chaos.load", "--clients", str(self.options.clients),
                "--rate", str(self.options.rate), "--seed", str(seed), "--progress-every", "30",
                "--figures-out", str(figures),
                "--bootstrap-servers", self.stack.bootstrap_servers]
        figures.unlink(missing_ok=True)
        with open(LOGS / "load.log", "ab") as out:
            return subprocess.Popen(args, cwd=ROOT, env=self.stack.env(), stdout=out,
                                    stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                    start_new_session=True)

    async def _stop_load(self, load: subprocess.Popen) -> int:
        load.send_signal(signal.SIGTERM)
        for _ in range(600):
            if load.poll() is not None:
                return load.returncode
            await asyncio.sleep(0.1)
        load.kill()
        return load.wait()

    async def _settle(self, row: Row, send_time: datetime, repaired: float,
                      timeout: float) -> bool:
        """Poll until every check holds (True) or `timeout` s after the repair (False)."""
        events_before = sum(len(ids) for ids in self.ids.values())
        next_progress = repaired + PROGRESS_SECONDS
        while True:
            problems = await self._problems(row, send_time)
            row.events = sum(len(ids) for ids in self.ids.values()) - events_before
            if not problems:
                row.recovery_seconds = time.monotonic() - repaired
                self.say(f"{row.fault}: everything right again {row.recovery_seconds:.0f} s "
                         "after the repair")
                return True
            if time.monotonic() - repaired > timeout:
                row.why += problems
                return False
            if time.monotonic() >= next_progress:
                next_progress += PROGRESS_SECONDS
                self.say(f"{row.fault}: still waiting: {'; '.join(problems)}"[:400])
            await asyncio.sleep(POLL_SECONDS)

    async def _problems(self, row: Row, send_time: datetime) -> list[str]:
        problems = []
        for service in self.stack.exited():
            code = self.stack.procs[service].returncode
            self.say(f"{service} exited by itself (code {code}); the harness starts it again")
            row.why.append(f"{service} exited by itself (code {code})")
            self.stack.start_service(service)
        ready = await self.stack.all_ready()
        if not all(ready.values()):
            return [f"/readyz not 200: {', '.join(s for s in SERVICES if not ready[s])}"]
        try:
            conn = await asyncpg.connect(self.stack.database_url, timeout=5)
        except (OSError, asyncpg.PostgresError) as exc:
            return [f"PostgreSQL: {exc!r}"]
        try:
            wrong = await wrong_clients(conn, self.truth)
            row.clients_wrong = {m: len(w) for m, w in wrong.items()}
            if any(wrong.values()):
                problems.append("read models differ from the truth: " + ", ".join(
                    f"{m} {len(w)} clients, e.g. {w[0][0]} want {w[0][1]} have {w[0][2]}"
                    for m, w in wrong.items() if w))
            tally = await self.digests.tally(conn, self.sink, send_time)
            row.digests_expected, row.digests_lost = tally.expected, tally.lost
            row.digests_doubled, row.digests_resent = tally.doubled, tally.resent
            if tally.lost or tally.doubled:
                problems.append(f"digests: {tally.lost} not delivered, {tally.doubled} doubled")
            try:
                for record in await self.events_reader.read_new(list(CONSUMERS)):
                    if (eid := event_id(record)) is not None:
                        self.ids[record.topic].add(eid)
            except Exception as exc:  # noqa: BLE001 - the broker is still coming back
                return [*problems, f"reading Kafka: {exc!r}"]
            missing = await unprocessed(conn, self.ids)
            row.events_lost = max(missing.values(), default=0)
            if row.events_lost:
                problems.append("events not applied: " + ", ".join(
                    f"{c} {n}" for c, n in missing.items() if n))
        except (OSError, asyncpg.PostgresError) as exc:
            problems.append(f"PostgreSQL: {exc!r}")
        finally:
            await conn.close()
        return problems

    async def _dead_letters(self, row: Row) -> None:
        """Every dead letter is a valid event lost: the load holds only valid ones."""
        try:
            records = await self.dlq_reader.read_new(suffix=".dlq")
        except Exception as exc:  # noqa: BLE001 - reported, not fatal
            row.why.append(f"could not read the DLQs: {exc!r}")
            return
        row.dead_letters = len(records)
        if records:
            by_topic: dict[str, int] = defaultdict(int)
            for record in records:
                by_topic[record.topic] += 1
            row.why.append("valid events dead-lettered: " + ", ".join(
                f"{t} {n}" for t, n in by_topic.items()))
            for record in records[:5]:
                self.say(f"dead letter on {record.topic}: {headers_text(record)}")
