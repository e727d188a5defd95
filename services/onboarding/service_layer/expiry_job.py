"""The periodic job that expires cases left `invited` or `in_review` too long.

Every process of the service runs the loop; a PostgreSQL advisory lock taken per batch
(inside `VerificationCases.expire_stale`) lets only one of them expire cases at a time.
"""

import asyncio
import contextlib
import logging
from datetime import UTC, datetime, timedelta

from services.onboarding.metrics import EXPIRY_RUNS
from services.onboarding.service_layer.verification_cases import VerificationCases

log = logging.getLogger(__name__)


class ExpiryJob:
    """Runs `run_once` every `interval` seconds until stopped."""

    def __init__(self, cases: VerificationCases, *, max_age: timedelta, interval: float,
                 batch_size: int = 500):
        self.cases = cases
        self.max_age = max_age
        self.interval = interval
        self.batch_size = batch_size
        self._task: asyncio.Task | None = None

    async def run_once(self, now: datetime | None = None) -> int | None:
        """Expire every stale case as of `now`; return how many, or None if another ran it."""
        at = now or datetime.now(UTC)
        total = 0
        while True:
            expired = await self.cases.expire_stale(now=at, max_age=self.max_age,
                                                    batch_size=self.batch_size)
            if expired is None:
                EXPIRY_RUNS.labels("skipped_locked").inc()
                return None if total == 0 else total
            total += expired
            if expired < self.batch_size:
                break
        EXPIRY_RUNS.labels("ran").inc()
        if total:
            log.info("verification cases expired", extra={"expired": total, "as_of": at.isoformat()})
        return total

    def start(self) -> None:
        self._task = asyncio.create_task(self._loop(), name="onboarding-expiry-job")

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _loop(self) -> None:
        while True:
            try:
                await self.run_once()
            except Exception:  # noqa: BLE001 - a failed run is retried at the next interval
                EXPIRY_RUNS.labels("failed").inc()
                log.exception("expiry job failed")
            await asyncio.sleep(self.interval)
