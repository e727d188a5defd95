"""The chaos suite's own PostgreSQL, Kafka and services, on ports and in a folder of its own.

Other engineers' tests use the shared servers on 5432/9092 with state in `.run/`; this stack
never touches them: PostgreSQL and Kafka run from deploy/*.sh with RUN_DIR=.run/chaos, and the
three services are child processes of the harness, so it can kill -9 and restart them.
Every port lies below Linux's ephemeral range (32768+): a client that reconnects to a port
whose server is down could otherwise be handed that very port and connect to itself.
"""

import asyncio
import contextlib
import os
import shutil
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
RUN_DIR = ROOT / ".run" / "chaos"
LOGS = RUN_DIR / "logs"
PIDS = RUN_DIR / "pids"
SERVICES = ("onboarding", "clients", "notifier")



@dataclass(frozen=True)
class Ports:
    postgres: int = 25432
    kafka: int = 29092
    kafka_controller: int = 29093
    smtp: int = 28025
    clients: int = 28001
    onboarding: int = 28002
    notifier: int = 28003


class Stack:
    """Start with `await stack.start()`; faults call kill/start_service, restart_* and stop_*."""

    def __init__(self, ports: Ports = Ports()):
        self.ports = ports
        self.procs: dict[str, subprocess.Popen] = {}

    @property
    def database_url(self) -> str:
        return f"postgresql://portal:portal@127.0.0.1:{self.ports.postgres}/partner_portal"

    @property
    def bootstrap_servers(self) -> str:
        return f"127.0.0.1:{self.ports.kafka}"

    def url(self, service: str) -> str:
        return f"http://127.0.0.1:{getattr(self.ports, service)}"

    def env(self) -> dict[str, str]:
        """The environment of every child: the chaos servers, never the shared ones."""
        env = dict(os.environ)
        env.update({
            "APP_ENV": "test", "LOG_LEVEL": "INFO",
            "DATABASE_URL": self.database_url,
            "KAFKA_BOOTSTRAP_SERVERS": self.bootstrap_servers,
            "SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(self.ports.smtp),
            "PUBLIC_BASE_URL": self.url("clients"),
            "ONBOARDING_BASE_URL": self.url("onboarding"),
            "NOTIFIER_WEB_PORT": str(self.ports.notifier),
            "NOTIFIER_DATA_DIR": str(RUN_DIR / "faust"),
            "RUN_DIR": str(RUN_DIR),
            "PG_PORT": str(self.ports.postgres), "PG_FAST": "1",
            "KAFKA_PORT": str(self.ports.kafka),
            "KAFKA_CONTROLLER_PORT": str(self.ports.kafka_controller),
            "KAFKA_HEAP": "-Xmx512m -Xms128m",
        })
        return env

    # --- PostgreSQL and Kafka, through the deploy scripts -------------------------------

    async def _script(self, script: str, action: str) -> None:
        proc = await asyncio.create_subprocess_exec(
            str(ROOT / "deploy" / script), action, cwd=ROOT, env=self.env(),
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
        out, _ = await proc.communicate()
        if proc.returncode != 0:
            raise RuntimeError(f"deploy/{script} {action} failed:\n{out.decode(errors='replace')}")

    async def start_postgres(self) -> None:
        await self._script("postgres.sh", "start")

    async def stop_postgres(self) -> None:
        await self._script("postgres.sh", "stop")

    async def start_kafka(self) -> None:
        await self._script("kafka.sh", "start")

    async def stop_kafka(self) -> None:
        await self._script("kafka.sh", "stop")

    async def _python(self, *args: str) -> None:
        proc = await asyncio.create_subprocess_exec(
            sys.executable, *args, cwd=ROOT, env=self.env(),
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
        out, _ = await proc.communicate()
        if proc.returncode != 0:
            raise RuntimeError(f"python {' '.join(args)} failed:\n{out.decode(errors='replace')}")

    # --- the services, as child processes ----------------------------------------------

    def _command(self, service: str) -> list[str]:
        if service == "notifier":
            return [sys.executable, "-m", "services.notifier"]
        return [sys.executable, "-m", "uvicorn", f"services.{service}.app:app",
                "--host", "127.0.0.1", "--port", str(getattr(self.ports, service)),
                "--no-access-log"]

    def start_service(self, service: str) -> None:
        """Launch one service (its log appends to .run/chaos/logs/<service>.log)."""
        with open(LOGS / f"{service}.log", "ab") as out:
            self.procs[service] = subprocess.Popen(
                self._command(service), cwd=ROOT, env=self.env(), stdout=out,
                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
        PIDS.mkdir(parents=True, exist_ok=True)
        (PIDS / f"{service}.pid").write_text(str(self.procs[service].pid))

    def kill_service(self, service: str) -> int:
        """kill -9, no goodbye; return the pid that died."""
        proc = self.procs[service]
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        return proc.pid

    async def ready(self, service: str) -> bool:
        """/readyz answers 200."""
        try:
            async with httpx.AsyncClient(timeout=3) as http:
                return (await http.get(f"{self.url(service)}/readyz")).status_code == 200
        except httpx.HTTPError:
            return False

    async def all_ready(self) -> dict[str, bool]:
        return {s: await self.ready(s) for s in SERVICES}

    def exited(self) -> list[str]:
        """Services whose process is gone (nobody restarts them but a fault)."""
        return [s for s, p in self.procs.items() if p.poll() is not None]

    async def wait_ready(self, timeout: float = 90) -> None:
        deadline = asyncio.get_running_loop().time() + timeout
        while not all((await self.all_ready()).values()):
            if self.exited():
                raise RuntimeError(f"{self.exited()} exited; see {LOGS}")
            if asyncio.get_running_loop().time() > deadline:
                raise RuntimeError(f"not ready after {timeout}s: {await self.all_ready()}")
            await asyncio.sleep(0.5)

    # --- whole stack ---------------------------------------------------------------------

    async def start(self) -> None:
        """From nothing: a fresh cluster and broker, schema, topics, the three services."""
        _kill_leftovers()
        await self.stop()
        # A fresh state each run: figures, digests and DLQs then belong to this run alone.
        for sub in ("postgres", "kafka", "faust"):
            shutil.rmtree(RUN_DIR / sub, ignore_errors=True)
        LOGS.mkdir(parents=True, exist_ok=True)
        for name in (*SERVICES, "postgres", "kafka", "load"):
            with contextlib.suppress(FileNotFoundError):
                (LOGS / f"{name}.log").unlink()
        await self.start_postgres()
        await self.start_kafka()
        await self._python("-m", "shared.db.migrate")
        await self._python("-m", "shared.kafka.create_topics")
        for service in SERVICES:
            self.start_service(service)
        await self.wait_ready()

    async def stop(self) -> None:
        """Services, then Kafka and PostgreSQL of this stack (no-ops when not running)."""
        for proc in self.procs.values():
            if proc.poll() is None:
                proc.terminate()
        for proc in self.procs.values():
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        self.procs.clear()
        await self.stop_kafka()
        await self.stop_postgres()


def _kill_leftovers() -> None:
    """Services a previous run of the harness left behind (it was itself killed)."""
    for pidfile in PIDS.glob("*.pid") if PIDS.exists() else ():
        pid = int(pidfile.read_text() or 0)
        with contextlib.suppress(OSError, ValueError):
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
            if b"services." in cmdline and str(ROOT).encode() in Path(
                    f"/proc/{pid}/cwd").resolve().as_posix().encode():
                os.kill(pid, signal.SIGKILL)
        pidfile.unlink()
