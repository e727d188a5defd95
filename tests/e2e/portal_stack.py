"""The clients and onboarding services as real uvicorn processes on free ports.

Each stack gets topics of its own (and its own consumer group), so it neither sees nor feeds
the services other engineers or CI run against the same broker and database. Clients reaches
onboarding over HTTP (ONBOARDING_BASE_URL), exactly as in production.
"""

import asyncio
import contextlib
import os
import socket
import sys
import tempfile
import uuid
from pathlib import Path

import httpx

from shared.kafka.create_topics import create_topics
from shared.tokens import mint_staff_token

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PortalStack:
    """Start with `await stack.start()`, stop with `await stack.stop()`."""

    def __init__(self, settings, *, label: str = "e2e"):
        self.settings = settings
        suffix = f"{label}.{uuid.uuid4().hex[:8]}"
        self.topics = {name: f"{label}.{name}.{suffix}" for name in
                       ("verification", "expenses", "wallets", "companies", "announce")}
        self.ports = {"clients": free_port(), "onboarding": free_port()}
        self.logs = Path(tempfile.mkdtemp(prefix=f"portal-{label}-"))
        self._procs: dict[str, asyncio.subprocess.Process] = {}

    def url(self, service: str) -> str:
        return f"http://127.0.0.1:{self.ports[service]}"

    def _env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update({
            "APP_ENV": "test", "LOG_LEVEL": "WARNING",
            "VERIFICATION_TOPIC": self.topics["verification"],
            "EXPENSES_TOPIC": self.topics["expenses"],
            "WALLETS_TOPIC": self.topics["wallets"],
            "COMPANIES_TOPIC": self.topics["companies"],
            "ANNOUNCE_TOPIC": self.topics["announce"],
            "CLIENTS_CONSUMER_GROUP": f"clients-{self.topics['verification']}",
            "ONBOARDING_BASE_URL": self.url("onboarding"),
            "PUBLIC_BASE_URL": self.url("clients"),
            "CASE_OPENER_POLL_SECONDS": "0.2",
            # Expiry has its own tests; a stack never expires anyone's cases.
            "EXPIRY_JOB_INTERVAL_SECONDS": "86400",
        })
        return env

    async def start(self) -> None:
        names = [t for topic in self.topics.values() for t in (topic, f"{topic}.dlq")]
        await create_topics(self.settings.kafka_bootstrap_servers, names, partitions=3)
        for service in ("onboarding", "clients"):
            log = open(self.logs / f"{service}.log", "wb")  # noqa: SIM115 - closed by the child
            self._procs[service] = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "uvicorn", f"services.{service}.app:app",
                "--host", "127.0.0.1", "--port", str(self.ports[service]), "--no-access-log",
                cwd=ROOT, env=self._env(), stdout=log, stderr=log)
            log.close()
        for service in ("onboarding", "clients"):
            await self._wait_ready(service)

    async def _wait_ready(self, service: str, timeout: float = 60.0) -> None:
        deadline = asyncio.get_running_loop().time() + timeout
        async with httpx.AsyncClient() as http:
            while True:
                if self._procs[service].returncode is not None:
                    raise RuntimeError(f"{service} exited:\n{self.log_tail(service)}")
                with contextlib.suppress(httpx.HTTPError):
                    if (await http.get(f"{self.url(service)}/readyz", timeout=2)).status_code == 200:
                        return
                if asyncio.get_running_loop().time() > deadline:
                    raise RuntimeError(f"{service} not ready:\n{self.log_tail(service)}")
                await asyncio.sleep(0.2)

    def log_tail(self, service: str, lines: int = 40) -> str:
        path = self.logs / f"{service}.log"
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])

    async def stop(self) -> None:
        for proc in self._procs.values():
            if proc.returncode is None:
                proc.terminate()
        for proc in self._procs.values():
            try:
                await asyncio.wait_for(proc.wait(), timeout=15)
            except TimeoutError:
                proc.kill()
                await proc.wait()

    def staff_headers(self, staff_id) -> dict[str, str]:
        token = mint_staff_token(uuid.UUID(str(staff_id)), self.settings.staff_keys)
        return {"Authorization": f"Bearer {token}"}

    @property
    def internal_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.settings.internal_api_token}"}
