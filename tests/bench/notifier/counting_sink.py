"""A local SMTP sink for the benchmark: aiosmtpd that counts and forgets.

Run: python -m tests.bench.notifier.counting_sink PORT STATS_FILE
Every 50 ms it writes "<accepted> <monotonic time of the last accept>" to STATS_FILE
(CLOCK_MONOTONIC is system-wide on Linux, so the benchmark can compare it with its own).
"""

import asyncio
import os
import sys
import time

from aiosmtpd.smtp import SMTP


class CountingHandler:
    def __init__(self):
        self.accepted = 0
        self.last = 0.0

    async def handle_DATA(self, server, session, envelope):
        self.accepted += len(envelope.rcpt_tos)
        self.last = time.monotonic()
        return "250 2.0.0 OK"


async def _report(handler: CountingHandler, path: str) -> None:
    tmp = f"{path}.tmp"
    while True:
        with open(tmp, "w") as out:
            out.write(f"{handler.accepted} {handler.last}")
        os.replace(tmp, path)
        await asyncio.sleep(0.05)


async def main(port: int, path: str) -> None:
    handler = CountingHandler()
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: SMTP(handler, hostname="bench-sink"),
                                      host="127.0.0.1", port=port)
    async with server:
        await _report(handler, path)


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]), sys.argv[2]))
