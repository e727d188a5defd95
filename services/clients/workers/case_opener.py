"""Opens the verification cases of portal invites at the onboarding service, with retries.

Each invite records a pending opening (with the case id it announced) in its own
transaction; this worker claims one with a short lease, calls `POST /internal/v1/cases`
holding no transaction or lock, and records the outcome. 2xx: opened. 4xx (but 408 and
429): the request itself is refused, so it is recorded with its status and error and not
retried; someone has to look at it. 5xx, 408, 429, timeouts and connection errors: retried
with backoff. The route is idempotent per client and case id, so a crash between its answer
and our mark only repeats a harmless call.
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
        """Try the most overdue opening (or that of `case_id`); False if none is left."""
        opening = await db.claim(self.pool, lease_seconds=self._lease_seconds(),
                                 case_id=case_id)
        if opening is None:
            return False
        status, error = await self._call(opening)
        ids = {"case_id": str(opening.case_id), "client_id": str(opening.client_id)}
        if error is None:
            await db.mark_opened(self.pool, opening.case_id)
            CASE_OPENINGS.labels("opened").inc()
            log.info("verification case opened", extra=ids)
        elif status is not None and refused_for_good(status):
            await db.mark_rejected(self.pool, opening.case_id, status, error)
            CASE_OPENINGS.labels("rejected").inc()
            log.error("onboarding refused to open a verification case, not retrying: %s",
                      error, extra={**ids, "status": status})
        else:
            delay = backoff_seconds(opening.attempts,
                                    self.settings.case_opener_max_backoff_seconds)
            await db.mark_failed(self.pool, opening.case_id, status, error, delay)
            CASE_OPENINGS.labels("failed").inc()
            log.warning("opening a verification case failed, retrying in %.0fs: %s",
                        delay, error, extra=ids)
        return True

    def _lease_seconds(self) -> float:
        # Never shorter than a call may take, or a slow call would be made twice at once.
        return max(self.settings.case_opener_lease_seconds,
                   self.settings.case_opener_timeout_seconds * 2)

    async def _call(self, opening: db.CaseOpening) -> tuple[int | None, str | None]:
        """(HTTP status or None, None on success else why it failed)."""
        url = self.settings.onboarding_base_url.rstrip("/") + "/internal/v1/cases"
        body = {"client_id": str(opening.client_id), "firm_id": str(opening.firm_id),
                "contact_email": opening.contact_email, "case_id": str(opening.case_id)}
        headers = {"Authorization": f"Bearer {self.settings.internal_api_token}"}
        try:
            response = await self.http.post(url, json=body, headers=headers)
        except httpx.HTTPError as exc:
            return None, f"{type(exc).__name__}: {exc}"
        if response.is_success:
            return response.status_code, None
        return response.status_code, f"HTTP {response.status_code}: {response.text[:500]}"


def refused_for_good(status: int) -> bool:
    """A 4xx answer says the request is wrong and will stay so; 408 and 429 say "later"."""
    return 400 <= status < 500 and status not in (408, 429)
