"""Polling for a condition in integration tests."""

import asyncio
import inspect
import time


async def wait_for(predicate, *, timeout: float = 20, interval: float = 0.1):
    """Poll `predicate` (sync or async) until it is truthy; return its value."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if inspect.isawaitable(value):
            value = await value
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError("condition not met in time")
        await asyncio.sleep(interval)
