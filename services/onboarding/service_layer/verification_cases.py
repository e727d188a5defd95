"""Opening, moving, expiring and reading verification cases.

Every state change (the opening included) writes its `verification.state_changed` event to
the outbox in the transaction of the change, so no change is committed unannounced.
"""

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID

import asyncpg

from services.onboarding.db import cases as repo
from services.onboarding.domain.case_states import EXPIRABLE_STATES, decide
from services.onboarding.domain.cases import Case, CaseIdTaken, CaseNotFound, Transition
from services.onboarding.domain.state_events import state_changed_event
from services.onboarding.metrics import STATE_CHANGES
from shared.db.outbox import Outbox
from shared.events.schemas import CaseState


@dataclass(frozen=True, slots=True)
class WebhookResult:
    """The case after a provider event, and whether that event changed it."""

    case: Case
    applied: bool


class VerificationCases:
    """The verification cases of this service, announcing changes on `topic`."""

    def __init__(self, pool: asyncpg.Pool, *, outbox: Outbox, topic: str):
        self.pool = pool
        self.outbox = outbox
        self.topic = topic

    async def open(self, *, client_id: UUID, firm_id: UUID, contact_email: str,
                   case_id: UUID | None = None, now: datetime | None = None
                   ) -> tuple[Case, bool]:
        """Open the case of (client, firm) in `invited`; return it and whether it is new."""
        at = now or datetime.now(UTC)
        async with self.pool.acquire() as conn, conn.transaction():
            case = await repo.insert_case(conn, case_id=case_id or uuid.uuid4(),
                                          client_id=client_id, firm_id=firm_id,
                                          contact_email=contact_email, at=at)
            if case is None:
                # Idempotent per (client, firm): a repeat gets the case opened before.
                existing = await repo.find_case_of(conn, client_id, firm_id)
                if existing is None:
                    raise CaseIdTaken(case_id)
                return existing, False
            await self._announce(conn, case, from_state=None, reason=None, source="internal",
                                 webhook_sha256=None, at=at)
        STATE_CHANGES.labels(case.state, "internal").inc()
        return case, True

    async def apply_provider_event(self, *, case_id: UUID, event: str, reason: str | None,
                                   body_sha256: str, now: datetime | None = None
                                   ) -> WebhookResult:
        """Apply a provider webhook; replays change nothing; raise IllegalTransition."""
        at = now or datetime.now(UTC)
        async with self.pool.acquire() as conn, conn.transaction():
            case = await repo.get_case(conn, case_id, for_update=True)
            if case is None:
                raise CaseNotFound(case_id)
            # The very same body applied before (a provider retry) is a replay, whatever
            # state the case has reached since.
            if await repo.webhook_applied(conn, case_id, body_sha256):
                return WebhookResult(case, applied=False)
            decision = decide(case.state, event)
            if not decision.changes:
                return WebhookResult(case, applied=False)
            moved = await self._move(conn, case, decision.to_state, reason=reason,
                                     source="webhook", webhook_sha256=body_sha256, at=at)
        STATE_CHANGES.labels(moved.state, "webhook").inc()
        return WebhookResult(moved, applied=True)

    async def expire_stale(self, *, now: datetime, max_age: timedelta,
                           batch_size: int = 500) -> int | None:
        """Expire one batch of cases older than `max_age` at `now`; None if another runs it."""
        async with self.pool.acquire() as conn, conn.transaction():
            if not await repo.try_job_lock(conn, "expiry"):
                return None
            stale = await repo.lock_expirable(conn, states=EXPIRABLE_STATES,
                                              opened_before=now - max_age, limit=batch_size)
            reason = f"no decision within {_days(max_age)} of opening"
            for case in stale:
                await self._move(conn, case, "expired", reason=reason, source="expiry",
                                 webhook_sha256=None, at=now)
        STATE_CHANGES.labels("expired", "expiry").inc(len(stale))
        return len(stale)

    async def read(self, case_id: UUID) -> tuple[Case, list[Transition]]:
        """The case and its history; raise CaseNotFound."""
        async with self.pool.acquire() as conn:
            case = await repo.get_case(conn, case_id)
            if case is None:
                raise CaseNotFound(case_id)
            return case, await repo.list_transitions(conn, case_id)

    async def _move(self, conn: asyncpg.Connection, case: Case, to_state: CaseState, *,
                    reason: str | None, source: str, webhook_sha256: str | None,
                    at: datetime) -> Case:
        moved = await repo.set_state(conn, case.id, state=to_state, version=case.version + 1,
                                     at=at)
        await self._announce(conn, moved, from_state=case.state, reason=reason, source=source,
                             webhook_sha256=webhook_sha256, at=at)
        return moved

    async def _announce(self, conn: asyncpg.Connection, case: Case, *,
                        from_state: CaseState | None, reason: str | None, source: str,
                        webhook_sha256: str | None, at: datetime) -> None:
        """Record the case's new state in its history and in the outbox."""
        event = state_changed_event(case_id=case.id, client_id=case.client_id,
                                    firm_id=case.firm_id, from_state=from_state,
                                    to_state=case.state, reason=reason, version=case.version,
                                    at=at)
        await repo.add_transition(conn, case_id=case.id, transition=Transition(
            version=case.version, from_state=from_state, to_state=case.state, reason=reason,
            source=source, webhook_sha256=webhook_sha256, event_id=event.id, occurred_at=at))
        await self.outbox.add(conn, self.topic, event)


def _days(age: timedelta) -> str:
    days = age / timedelta(days=1)
    return f"{days:g} days" if days != 1 else "1 day"

