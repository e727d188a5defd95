"""Comparing the two read models (clients and notifier task figures) with the simulator's
truth, and the platform events on Kafka with what each consumer recorded as processed."""

from collections.abc import Iterable

import asyncpg

FIGURE_TABLES = {"clients": "clients.task_figures", "notifier": "notifier.task_figures"}
# Who must have applied each platform topic: (schema, consumer name in processed_events).
CONSUMERS = {
    "platform.expenses.v1": (("clients", "clients.expenses"), ("notifier", "notifier.expenses")),
    "platform.wallets.v1": (("clients", "clients.wallets"), ("notifier", "notifier.wallets")),
}


def _as_truth(row) -> dict:
    return {"missing_receipts": row["missing_receipts"],
            "ready_for_export": row["ready_for_export"],
            "wallet_balance_minor": row["wallet_balance_minor"],
            "currency": row["wallet_currency"]}


async def wrong_clients(conn: asyncpg.Connection, truth: dict[str, dict]) -> dict[str, list]:
    """Per read model, the clients whose figures differ from the truth (or are missing)."""
    wrong: dict[str, list] = {}
    for model, table in FIGURE_TABLES.items():
        rows = await conn.fetch(
            f"select client_id::text as id, missing_receipts, ready_for_export,"  # noqa: S608
            f" wallet_balance_minor, wallet_currency from {table}"
            " where client_id = any($1::uuid[])", list(truth))
        have = {r["id"]: _as_truth(r) for r in rows}
        wrong[model] = [(cid, want, have.get(cid)) for cid, want in truth.items()
                        if have.get(cid) != want]
    return wrong


async def unprocessed(conn: asyncpg.Connection, ids_by_topic: dict[str, Iterable[str]]
                      ) -> dict[str, int]:
    """Per consumer, how many of the topic's event ids it never recorded as processed."""
    missing = {}
    for topic, pairs in CONSUMERS.items():
        ids = list(set(ids_by_topic.get(topic, ())))
        for schema, consumer in pairs:
            done = await conn.fetchval(
                f"select count(*) from {schema}.processed_events"  # noqa: S608
                " where consumer = $1 and event_id = any($2::text[])", consumer, ids)
            missing[consumer] = len(ids) - done
    return missing
