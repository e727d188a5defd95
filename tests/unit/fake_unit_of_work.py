"""An in-memory stand-in for shared.db.unit_of_work.UnitOfWork, for unit tests of service layers.

Services' fakes subclass it, keep their tables in one `rows` object and make in-memory
repositories over it in `_bind`. It keeps what a test asserts on: what was announced and
published (only once committed), which events each consumer claimed, and how many times the
work committed or rolled back; a rollback puts `rows` back as they were when the work began.
"""

import copy
from collections.abc import Callable, Sequence
from typing import Self

from shared.events import CloudEvent


class FakeUnitOfWork:
    def __init__(self, rows: object = None, *, announce_topic: str | None = "announce"):
        self.rows = rows
        self._before = rows
        self.announce_topic = announce_topic
        self.announced: list[CloudEvent] = []
        self.published: list[tuple[str, CloudEvent]] = []
        self.claimed: dict[str, set[str]] = {}
        self.commits = 0
        self.rollbacks = 0
        self._pending_announced: list[CloudEvent] = []
        self._pending_published: list[tuple[str, CloudEvent]] = []
        self._pending_claims: list[tuple[str, str]] = []
        self._after_commit: list[Callable[[], None]] = []
        self._depth = 0
        self._bind()

    def _bind(self) -> None:
        """Make the in-memory repositories over `self.rows` (a subclass's hook)."""

    async def __aenter__(self) -> Self:
        if self._depth == 0:
            self._before = copy.deepcopy(self.rows)
        self._depth += 1
        return self

    async def __aexit__(self, exc_type, exc, tb) -> None:
        self._depth -= 1
        if self._depth > 0:
            return
        callbacks, self._after_commit = self._after_commit, []
        if exc_type is None:
            self.commits += 1
            self.announced += self._pending_announced
            self.published += self._pending_published
            for consumer, event_id in self._pending_claims:
                self.claimed.setdefault(consumer, set()).add(event_id)
            for callback in callbacks:
                callback()
        else:
            self.rollbacks += 1
            self.rows = self._before
            self._bind()
        self._pending_announced, self._pending_published, self._pending_claims = [], [], []

    def _require_open(self) -> None:
        if self._depth == 0:
            raise RuntimeError("the unit of work is not open: use `async with uow:`")

    async def announce(self, *events: CloudEvent) -> None:
        self._require_open()
        self._pending_announced += events

    async def publish(self, topic: str, event: CloudEvent) -> None:
        self._require_open()
        self._pending_published.append((topic, event))

    async def claim(self, consumer: str, events: Sequence) -> list:
        self._require_open()
        seen = self.claimed.get(consumer, set()) | {i for c, i in self._pending_claims
                                                     if c == consumer}
        fresh = []
        for event in events:
            if event.id not in seen:
                seen.add(event.id)
                self._pending_claims.append((consumer, event.id))
                fresh.append(event)
        return fresh

    def after_commit(self, callback: Callable[[], None]) -> None:
        self._after_commit.append(callback)
