"""Opens the verification cases of portal invites at the onboarding service, with retries.

Each invite records a pending opening (with the case id it announced) in its own
transaction; this worker calls `POST /internal/v1/cases` until the onboarding service
answers 2xx, backing off while it is down. The route is idempotent per client and case
id, so a crash between its answer and our mark only repeats a harmless call.
"""

import asyncio
import contextlib
import logging
from uuid import UUID

import asyncpg
import httpx

from services.clients.db import case_openings as db
from services.clients.metrics import CASE_OPENINGS
from services.clients.settings import ClientsSettings

log = logging.getLogger(__name__)

MIN_WAIT_SECONDS = 0.1


def backoff_seconds(attempts: int, cap: float) -> float:
    """1, 2, 4, ... seconds after each failed attempt, at most `cap`."""
    return min(cap, 2.0 ** max(0, attempts - 1))


class CaseOpener:
    """Background task working off clients.case_openings; `wake()` after an invite."""

    def __init__(self, pool: asyncpg.Pool, settings: ClientsSettings,
                 http: httpx.AsyncClient | None = None):
        self.pool = pool
        self.settings = settings
        self.http = http or httpx.AsyncClient(timeout=settings.case_opener_timeout_seconds)
        self._wake = asyncio.Event()
        self._task: asyncio.Task | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="case-opener")

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        await self.http.aclose()

    def wake(self) -> None:
        self._wake.set()

    async def _run(self) -> None:
        while True:
            try:
                while await self.open_next():
                    pass
                wait = await db.seconds_until_next(self.pool)
            except Exception:  # noqa: BLE001 - the database is away; try again later
                log.exception("case opener failed, retrying")
                wait = None
            poll = self.settings.case_opener_poll_seconds
            # at least a moment: a due row locked by another instance must not make us spin
            timeout = max(MIN_WAIT_SECONDS, min(poll, wait) if wait is not None else poll)
            self._wake.clear()
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=timeout)

    async def open_next(self, case_id: UUID | None = None) -> bool:
        """Try the most overdue pending opening (or that of `case_id`); False if none."""
        async with self.pool.acquire() as conn, conn.transaction():
            row = await db.next_due(conn, case_id)
            if row is None:
                return False
            error = await self._call(row)
            if error is None:
                await db.mark_opened(conn, row["case_id"])
                CASE_OPENINGS.labels("opened").inc()
                log.info("verification case opened", extra={"case_id": str(row["case_id"]),
                                                            "client_id": str(row["client_id"])})
            else:
                delay = backoff_seconds(row["attempts"] + 1,
                                        self.settings.case_opener_max_backoff_seconds)
                await db.mark_failed(conn, row["case_id"], error, delay)
                CASE_OPENINGS.labels("failed").inc()
                log.warning("opening a verification case failed, retrying in %.0fs: %s",
                            delay, error, extra={"case_id": str(row["case_id"])})
        return True

    async def _call(self, row: asyncpg.Record) -> str | None:
        """None on success, else why it failed."""
        url = self.settings.onboarding_base_url.rstrip("/") + "/internal/v1/cases"
        body = {"client_id": str(row["client_id"]), "firm_id": str(row["firm_id"]),
                "contact_email": row["contact_email"], "case_id": str(row["case_id"])}
        headers = {"Authorization": f"Bearer {self.settings.internal_api_token}"}
        try:
            response = await self.http.post(url, json=body, headers=headers)
        except httpx.HTTPError as exc:
            return f"{type(exc).__name__}: {exc}"
        if response.is_success:
            return None
        return f"HTTP {response.status_code}: {response.text[:500]}"
