"""The portal web app as a real uvicorn process on a free port, on top of a PortalStack.

The stack's clients service hands out Go-to-client URLs under the portal's /client-account
stand-in and email links to the portal, exactly as `make up` wires them.
"""

import asyncio
import contextlib
import os
import sys
import tempfile
from pathlib import Path

import httpx

from tests.e2e.portal_stack import PortalStack, free_port

ROOT = Path(__file__).resolve().parents[2]


class WiredStack(PortalStack):
    """A PortalStack whose clients service points its links at the portal on `portal_port`."""

    def __init__(self, settings, *, label: str = "web"):
        super().__init__(settings, label=label)
        self.ports["portal"] = free_port()

    def _env(self) -> dict[str, str]:
        env = super()._env()
        env.update({"PUBLIC_BASE_URL": self.url("portal"),
                    "CLIENT_ACCOUNT_BASE_URL": f"{self.url('portal')}/client-account"})
        return env


class PortalWeb:
    """`services.portal.app:app` under uvicorn, calling the stack's clients service."""

    def __init__(self, stack: WiredStack):
        self.stack = stack
        self.url = stack.url("portal")
        self.dir = Path(tempfile.mkdtemp(prefix="portal-web-"))
        self.log = self.dir / "portal.log"
        # /dev/sign-in offers the firms of the admins named here (as .run/demo/demo.json).
        self.dev_staff_file = self.dir / "demo.json"
        self._proc: asyncio.subprocess.Process | None = None

    async def start(self, timeout: float = 30.0) -> None:
        env = dict(os.environ, APP_ENV="test", LOG_LEVEL="WARNING",
                   CLIENTS_API_URL=self.stack.url("clients"),
                   PUBLIC_BASE_URL=self.url,
                   CLIENT_ACCOUNT_BASE_URL=f"{self.url}/client-account",
                   DEV_STAFF_FILE=str(self.dev_staff_file))
        with open(self.log, "wb") as log:
            self._proc = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "uvicorn", "services.portal.app:app", "--host",
                "127.0.0.1", "--port", str(self.stack.ports["portal"]), "--no-access-log",
                cwd=ROOT, env=env, stdout=log, stderr=log)
        deadline = asyncio.get_running_loop().time() + timeout
        async with httpx.AsyncClient() as http:
            while True:
                if self._proc.returncode is not None:
                    raise RuntimeError(f"portal exited:\n{self.log_tail()}")
                with contextlib.suppress(httpx.HTTPError):
                    if (await http.get(f"{self.url}/healthz", timeout=2)).status_code == 200:
                        return
                if asyncio.get_running_loop().time() > deadline:
                    raise RuntimeError(f"portal not ready:\n{self.log_tail()}")
                await asyncio.sleep(0.2)

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    async def stop(self) -> None:
        if self._proc and self._proc.returncode is None:
            self._proc.terminate()
            try:
                await asyncio.wait_for(self._proc.wait(), timeout=15)
            except TimeoutError:
                self._proc.kill()
                await self._proc.wait()
