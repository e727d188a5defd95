"""The notifier as a real process (`python -m services.notifier`), on its own topics."""

import asyncio
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import asyncpg
import httpx

from shared.kafka.create_topics import create_topics
from shared.kafka.producer import EventProducer
from tests.integration.notifier.factories import tick
from tests.integration.notifier.smtp_sink import free_port

REPO = Path(__file__).resolve().parents[3]
TOPIC_KINDS = ("partner", "expenses", "wallets", "ticks", "emails")


class NotifierProcess:
    """One notifier worker with a unique app id (consumer group, email origin) and topics."""

    def __init__(self, *, app_id: str, smtp_port: int, log_dir: Path, **settings: object):
        self.app_id = app_id
        self.topics = {kind: f"{app_id}.{kind}" for kind in TOPIC_KINDS}
        self.web_port = free_port()
        self.log_path = log_dir / f"{app_id}.log"
        self.env = {
            **os.environ,
            "NOTIFIER_APP_ID": app_id,
            "NOTIFIER_WEB_PORT": str(self.web_port),
            "SMTP_HOST": "127.0.0.1",
            "SMTP_PORT": str(smtp_port),
            "NOTIFIER_SCHEDULER_ENABLED": "false",
            "NOTIFIER_SEND_POLL_SECONDS": "0.2",
            "NOTIFIER_RETRY_BASE_SECONDS": "0.2",
            "NOTIFIER_RETRY_MAX_SECONDS": "1",
            "NOTIFIER_SEND_LEASE_SECONDS": "4",
            "NOTIFIER_CONSUMER_BATCH_SECONDS": "0.05",
            "LOG_LEVEL": "INFO",
            **{f"NOTIFIER_{kind.upper()}_TOPIC": name for kind, name in self.topics.items()},
            **{key.upper(): str(value) for key, value in settings.items()},
        }
        self.proc: subprocess.Popen | None = None

    async def create_topics(self, bootstrap_servers: str, partitions: int = 3) -> None:
        names = [t for name in self.topics.values() for t in (name, f"{name}.dlq")]
        await create_topics(bootstrap_servers, names, partitions=partitions)

    def start(self) -> None:
        log = open(self.log_path, "ab")  # noqa: SIM115 - the child keeps it
        self.proc = subprocess.Popen([sys.executable, "-m", "services.notifier"], env=self.env,
                                     cwd=REPO, stdout=log, stderr=subprocess.STDOUT)

    async def wait_ready(self, pool: asyncpg.Pool, producer: EventProducer, *,
                         consuming: bool = True, timeout: float = 45) -> None:
        """Until /readyz answers 200 and, if `consuming`, a probe tick has been handled."""
        deadline = time.monotonic() + timeout
        async with httpx.AsyncClient() as http:
            while True:
                self._check_alive()
                try:
                    answer = await http.get(f"http://127.0.0.1:{self.web_port}/readyz")
                    if answer.status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline:
                    raise TimeoutError(f"notifier not ready; see {self.log_path}")
                await asyncio.sleep(0.2)
        if not consuming:
            return
        # Before DIGEST_HOUR in Copenhagen: owes nothing, only shows that ticks are consumed.
        probe = tick(datetime(2000, 1, 3, 6, 0, tzinfo=UTC))
        await producer.send(self.topics["ticks"], probe)
        while not await pool.fetchval(
                "select 1 from notifier.processed_events where consumer = 'notifier.ticks'"
                " and event_id = $1", probe.id):
            self._check_alive()
            if time.monotonic() > deadline:
                raise TimeoutError(f"notifier agents not consuming; see {self.log_path}")
            await asyncio.sleep(0.2)

    def _check_alive(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            raise RuntimeError(f"notifier exited; see {self.log_path}")

    def kill(self) -> None:
        """SIGKILL: no goodbye, no flush, leases left behind."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(10)

    def stop(self) -> None:
        """SIGTERM, as an orchestrator stops it; SIGKILL if it does not go."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()

