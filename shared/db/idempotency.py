"""Which events a consumer has already applied, recorded in the same transaction as the effect.

Each service schema has `<schema>.processed_events (consumer text, event_id text,
processed_at timestamptz, primary key (consumer, event_id))`.
"""

from collections.abc import Sequence

import asyncpg


async def claim_new_events(
    conn: asyncpg.Connection, schema: str, consumer: str, event_ids: Sequence[str]
) -> set[str]:
    """Record `event_ids` as processed by `consumer`; return those not processed before.

    Call inside the transaction that applies the events: if it rolls back, so does the claim.
    """
    rows = await conn.fetch(
        f"insert into {schema}.processed_events (consumer, event_id)"
        " select $1, unnest($2::text[]) on conflict do nothing returning event_id",
        consumer, list(event_ids))
    return {r["event_id"] for r in rows}
