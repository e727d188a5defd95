"""Retention: deleting rows past their keeping time, in bounded batches, one table at a time.

Each service lists what it prunes in its own `db/retention.py` as `Prune`s; the outbox
relay runs them once an hour (shared.db.outbox). A prune is one DELETE of at most
`batch_size` rows found through an index, repeated until a batch comes back short: every
batch is its own short transaction, so no prune holds row locks for long or bloats one
transaction with a million deletes.
"""

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import asyncpg
from prometheus_client import Counter

log = logging.getLogger(__name__)

ROWS_PRUNED = Counter("rows_pruned_total", "Rows deleted by retention", ["prune"])

# What every schema keeps of its event tables. Kafka keeps messages 7 days: a redelivered
# message is at most that old, so its id must be kept longer than that (30 days) for the
# redelivery to be recognised.
PUBLISHED_OUTBOX_KEPT = timedelta(days=7)
PROCESSED_EVENTS_KEPT = timedelta(days=30)


@dataclass(frozen=True)
class Prune:
    """One kind of row to delete once older than `kept`.

    `sql` is a DELETE taking `$1` (the cutoff: now minus `kept`) and `$2` (the batch size),
    written so that it deletes at most `$2` rows per run, usually as
    `delete from t where ctid = any(array(select ctid from t where <old> limit $2))`.
    """

    name: str
    kept: timedelta
    sql: str


async def prune_in_batches(pool: asyncpg.Pool, prune: Prune, now: datetime, *,
                           batch_size: int, max_batches: int = 1000) -> int:
    """Run `prune` batch after batch until nothing old is left; return rows deleted."""
    cutoff, total = now - prune.kept, 0
    for _ in range(max_batches):
        status = await pool.execute(prune.sql, cutoff, batch_size)
        deleted = int(status.split()[-1])
        total += deleted
        if deleted < batch_size:
            break
    if total:
        ROWS_PRUNED.labels(prune.name).inc(total)
    return total


async def run_prunes(pool: asyncpg.Pool, prunes: Sequence[Prune], now: datetime, *,
                     batch_size: int) -> dict[str, int]:
    """Run every prune; one that fails is logged and the others still run."""
    counts: dict[str, int] = {}
    for prune in prunes:
        try:
            counts[prune.name] = await prune_in_batches(pool, prune, now, batch_size=batch_size)
        except (asyncpg.PostgresError, OSError):
            log.exception("prune failed", extra={"prune": prune.name})
    pruned = {name: n for name, n in counts.items() if n}
    if pruned:
        log.info("rows pruned", extra={"pruned": pruned})
    return counts


def delete_batch(table: str, old: str) -> str:
    """A DELETE of at most $2 rows of `table` matching `old` (which may use $1, the cutoff).

    The rows are picked by ctid through whatever index serves `old`; `old` is checked again
    on the row being deleted, so a row changed meanwhile (no longer old) stays.
    """
    return (f"delete from {table} where ctid = any(array("
            f"select ctid from {table} where {old} limit $2)) and {old}")


def event_table_prunes(schema: str, *, published_kept: timedelta = PUBLISHED_OUTBOX_KEPT,
                       processed_kept: timedelta = PROCESSED_EVENTS_KEPT) -> list[Prune]:
    """Published outbox rows and processed-event ids of `schema` (BRIN indexes, 0005)."""
    return [
        Prune(f"{schema}.outbox", published_kept,
              delete_batch(f"{schema}.outbox", "published_at < $1")),
        Prune(f"{schema}.processed_events", processed_kept,
              delete_batch(f"{schema}.processed_events", "processed_at < $1")),
    ]


def days(n: float) -> timedelta:
    """A retention setting (in days) as a timedelta."""
    return timedelta(days=n)
