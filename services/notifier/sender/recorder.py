"""Group commit of delivery outcomes.

A worker waits until its outcome is committed before it sends its next message, so a crash
leaves at most one accepted-but-unmarked message per connection; outcomes that come in while
a commit runs go together in the next one, so marking costs one transaction per batch.
"""

import asyncio
import contextlib
import logging

import asyncpg

from services.notifier.db.email_outbox import record_outcomes
from services.notifier.domain.delivery import Outcome
from shared.db.outbox import Outbox

log = logging.getLogger(__name__)


class OutcomeRecorder:
    def __init__(self, pool: asyncpg.Pool, outbox: Outbox):
        self.pool = pool
        self.outbox = outbox
        self._pending: list[tuple[Outcome, asyncio.Future]] = []
        self._wake = asyncio.Event()
        self._task: asyncio.Task | None = None

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="notifier:outcome-recorder")

    async def stop(self) -> None:
        """Commit what is pending, then stop."""
        if self._task:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        if self._pending:
            batch, self._pending = self._pending, []
            with contextlib.suppress(Exception):
                await self._commit(batch)

    async def record(self, outcome: Outcome) -> None:
        """Return once `outcome` is committed."""
        done = asyncio.get_running_loop().create_future()
        self._pending.append((outcome, done))
        self._wake.set()
        await done

    async def _run(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            batch, self._pending = self._pending, []
            if batch:
                await self._commit_until_done(batch)

    async def _commit_until_done(self, batch: list[tuple[Outcome, asyncio.Future]]) -> None:
        delay = 0.2
        while True:
            try:
                await self._commit(batch)
                return
            except (TimeoutError, OSError, asyncpg.PostgresError, asyncpg.InterfaceError):
                log.exception("recording email outcomes failed, retrying in %.1fs", delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 10.0)

    async def _commit(self, batch: list[tuple[Outcome, asyncio.Future]]) -> None:
        async with self.pool.acquire() as conn:
            await record_outcomes(conn, self.outbox, [outcome for outcome, _ in batch])
        for _, done in batch:
            if not done.done():
                done.set_result(None)
