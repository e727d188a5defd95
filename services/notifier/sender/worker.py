"""The sender: an asyncio worker that empties the email outbox over SMTP.

One claimer keeps a small queue filled with claimed rows; `notifier_smtp_connections` workers
each own one reused SMTP connection (the bound on concurrency) and send, then wait until
their outcome is committed. 4xx replies, timeouts and dropped connections are retried with
backoff; a 5xx reply or the last allowed attempt fails the email and announces it. An
attempt counts when it is recorded, only if a send was tried (or the recipient checked): a
claim whose lease ran out before its row was tried costs nothing.
"""

import asyncio
import contextlib
import logging
import time
from datetime import UTC, datetime

import asyncpg

from services.notifier.db import EMAIL_OUTBOX_CHANNEL
from services.notifier.db.email_outbox import claim_due, release
from services.notifier.domain.delivery import (
    Outcome,
    RetryPolicy,
    Verdict,
    is_permanent,
    recipient_problem,
)
from services.notifier.domain.emails import EmailToSend
from services.notifier.emails.compose import Composer
from services.notifier.metrics import SMTP_SECONDS
from services.notifier.sender import outcomes
from services.notifier.sender.recorder import OutcomeRecorder
from services.notifier.sender.smtp import SmtpConnection
from services.notifier.settings import NotifierSettings
from shared.db.outbox import Outbox

log = logging.getLogger(__name__)

# A claimed row is not started with less lease than this left: another sender may take it.
LEASE_MARGIN_SECONDS = 1.0
# While no SMTP server answers, a worker waits this long (doubling) before the next try.
UNREACHABLE_PAUSE = (0.5, 30.0)


class Sender:
    def __init__(self, pool: asyncpg.Pool, settings: NotifierSettings, *,
                 outbox: Outbox, composer: Composer):
        self.pool = pool
        self.settings = settings
        self.origin = settings.notifier_app_id
        self.composer = composer
        self.policy = RetryPolicy(max_attempts=settings.notifier_send_max_attempts,
                                  base_seconds=settings.notifier_retry_base_seconds,
                                  max_seconds=settings.notifier_retry_max_seconds)
        self.recorder = OutcomeRecorder(pool, outbox)
        self.queue: asyncio.Queue[EmailToSend | None] = asyncio.Queue()
        self._wake = asyncio.Event()
        self._space = asyncio.Event()
        self._connections = [SmtpConnection(settings)
                             for _ in range(settings.notifier_smtp_connections)]
        self._claimer: asyncio.Task | None = None
        self._workers: list[asyncio.Task] = []
        self._listener: asyncpg.Connection | None = None

    async def start(self) -> None:
        self._listener = await self.pool.acquire()
        await self._listener.add_listener(EMAIL_OUTBOX_CHANNEL, self._on_notify)
        await self.recorder.start()
        self._workers = [asyncio.create_task(self._work(c), name=f"notifier:smtp-{i}")
                         for i, c in enumerate(self._connections)]
        self._claimer = asyncio.create_task(self._claim_loop(), name="notifier:email-claimer")

    async def stop(self) -> None:
        """Finish the messages in flight, give back the claimed rest, close connections."""
        if self._claimer:
            self._claimer.cancel()
            await asyncio.gather(self._claimer, return_exceptions=True)
        unsent = []
        while not self.queue.empty():
            unsent.append(self.queue.get_nowait().id)
        for _ in self._workers:
            self.queue.put_nowait(None)
        if self._workers:
            _, late = await asyncio.wait(self._workers, timeout=10)
            for task in late:
                task.cancel()
        await self.recorder.stop()
        with contextlib.suppress(Exception):
            async with self.pool.acquire() as conn:
                await release(conn, unsent)
        await asyncio.gather(*(c.close() for c in self._connections))
        if self._listener:
            with contextlib.suppress(Exception):
                await self._listener.remove_listener(EMAIL_OUTBOX_CHANNEL, self._on_notify)
            await self.pool.release(self._listener)

    def _on_notify(self, _conn, _pid, _channel, origin: str) -> None:
        if origin == self.origin:
            self._wake.set()

    async def _claim_loop(self) -> None:
        s = self.settings
        while True:
            if self.queue.qsize() >= len(self._connections):
                self._space.clear()
                await self._space.wait()
                continue
            try:
                async with self.pool.acquire() as conn:
                    claimed = await claim_due(conn, origin=self.origin,
                                              limit=s.notifier_send_batch,
                                              lease_seconds=s.notifier_send_lease_seconds)
            except (TimeoutError, OSError, asyncpg.PostgresError, asyncpg.InterfaceError):
                log.exception("claiming emails failed")
                await asyncio.sleep(s.notifier_send_poll_seconds)
                continue
            for email in claimed:
                self.queue.put_nowait(email)
            if len(claimed) < s.notifier_send_batch:
                self._wake.clear()
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), s.notifier_send_poll_seconds)

    async def _work(self, connection: SmtpConnection) -> None:
        pause = UNREACHABLE_PAUSE[0]
        while (email := await self.queue.get()) is not None:
            self._space.set()
            outcome = await self._deliver(connection, email)
            if outcome is None:
                continue
            await self.recorder.record(outcome)
            if outcome.verdict is Verdict.RETRY and not outcome.tried:  # no server reachable
                await asyncio.sleep(pause)
                pause = min(pause * 2, UNREACHABLE_PAUSE[1])
            else:
                pause = UNREACHABLE_PAUSE[0]

    async def _deliver(self, connection: SmtpConnection, email: EmailToSend) -> Outcome | None:
        """Try one claimed email; None when its lease ran out before we got to it.

        Such an email is left as it is, no attempt counted: it is due again (here or in
        another sender) now that its lease is over.
        """
        lease_left = (email.lease_until - datetime.now(UTC)).total_seconds()
        if lease_left < LEASE_MARGIN_SECONDS:
            return None
        topic = self.settings.notifier_emails_topic
        if email.attempts >= self.policy.max_attempts:
            # Two senders tried it at once after a lease ran out, and both retries counted.
            return outcomes.failed(email, "attempts exhausted", topic=topic, tried=False)
        if problem := recipient_problem(email):
            reason, permanent = problem
            return self._after_failure(email, reason, permanent=permanent)
        try:
            message = self.composer.compose(email)
        except Exception as exc:  # noqa: BLE001 - an email we cannot render never will be
            log.exception("cannot compose email", extra={"email_id": str(email.id)})
            return outcomes.failed(email, f"cannot compose: {exc!r}", topic=topic, tried=False)
        started = time.perf_counter()
        try:
            async with asyncio.timeout(lease_left - LEASE_MARGIN_SECONDS):
                attempt = await connection.send(message)
        except TimeoutError:
            connection.discard()
            return self._after_failure(email, "lease ran out while sending", permanent=False)
        SMTP_SECONDS.observe(time.perf_counter() - started)
        if attempt.ok:
            return outcomes.sent(email, topic=topic)
        if attempt.unreachable:
            return outcomes.retry(email, attempt.error, delay=0, tried=False)
        log.info("email attempt failed: %s", attempt.error,
                 extra={"email_id": str(email.id), "attempt": email.attempts + 1})
        return self._after_failure(email, attempt.error,
                                   permanent=attempt.permanent or is_permanent(attempt.code))

    def _after_failure(self, email: EmailToSend, error: str, *, permanent: bool) -> Outcome:
        topic = self.settings.notifier_emails_topic
        made = email.attempts + 1  # with this one
        if permanent or self.policy.after_temporary_failure(made) is Verdict.FAILED:
            return outcomes.failed(email, error, topic=topic)
        return outcomes.retry(email, error, delay=self.policy.delay(made))
