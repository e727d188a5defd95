"""The body of every notifier agent: batches from faust into a dispatcher, nothing skipped.

faust acks a `take_events` batch when the agent's loop moves on *or fails* (the generator's
`finally`), and a crashed actor is restarted on the same stream past that batch: a body that
raised would lose the batch. So the body never raises: the dispatcher handles every message
(dead-lettering what cannot be applied) and an unexpected failure is logged and the same
batch handled again after a backoff (EventDispatcher.process_supervised). Only cancellation
(shutdown, rebalance) leaves the loop; the batch in hand is finished first when it can be.
"""

import asyncio
import contextlib
import logging
from collections.abc import Callable

from shared.kafka.consumer import EventDispatcher

log = logging.getLogger(__name__)

# How long a cancelled agent waits for the batch in hand before giving it up unacked.
FINISH_ON_CANCEL_SECONDS = 10.0

Highwater = Callable[[object], int | None]


async def consume(stream, dispatcher: EventDispatcher, *, batch: int, within: float,
                  highwater: Highwater) -> None:
    """Hand each batch of the stream to `dispatcher` until it is handled; observe lag."""
    async for events in stream.take_events(batch, within=within):
        messages = [event.message for event in events]
        handling = asyncio.ensure_future(dispatcher.process_supervised(messages))
        try:
            await asyncio.shield(handling)
        except asyncio.CancelledError:
            await _finish_or_withhold(handling, messages, dispatcher.name)
            raise
        _observe_lag(dispatcher, messages, highwater)


async def _finish_or_withhold(handling: asyncio.Future, messages: list, name: str) -> None:
    """Let the batch finish; if it cannot in time, mark its messages acked so that faust's
    own ack skips them: their offsets are not committed and they come again after restart."""
    await asyncio.wait({handling}, timeout=FINISH_ON_CANCEL_SECONDS)
    if handling.done():
        return
    handling.cancel()
    with contextlib.suppress(BaseException):
        await handling
    for message in messages:
        message.acked = True
    log.warning("agent stopped mid-batch; the batch stays uncommitted",
                extra={"consumer": name, "messages": len(messages)})


def _observe_lag(dispatcher: EventDispatcher, messages: list, highwater: Highwater) -> None:
    last: dict = {}
    for message in messages:
        last[message.tp] = max(last.get(message.tp, -1), message.offset)
    for tp, offset in last.items():
        try:
            mark = highwater(tp)
        except Exception:  # noqa: BLE001 - a metric must never stop the agent
            continue
        dispatcher.observe_lag(tp.topic, tp.partition, mark, offset + 1)
