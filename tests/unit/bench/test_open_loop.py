"""The open-loop load generator charges a server's stall to every request due during it."""

import asyncio

from tests.bench.open_loop import open_loop

STALL_AT, STALL_SECONDS = 40, 0.3  # the 40th request waits 300 ms


async def _server(answered: list[int]) -> asyncio.Server:
    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                await reader.readuntil(b"\r\n\r\n")
                answered.append(1)
                if len(answered) == STALL_AT:
                    await asyncio.sleep(STALL_SECONDS)
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            writer.close()

    return await asyncio.start_server(handle, "127.0.0.1", 0)


async def test_requests_due_during_a_stall_count_it_even_on_one_busy_connection():
    answered: list[int] = []
    server = await _server(answered)
    port = server.sockets[0].getsockname()[1]
    async with server:
        # One connection: a closed-loop client would send nothing during the stall and
        # record it once; open-loop, ~60 requests are due in those 300 ms.
        result = await open_loop("127.0.0.1", port, ["/"], {}, rate=200, seconds=1.0,
                                 max_connections=1)
    assert result.errors == 0
    assert result.sent == len(result.latencies_ms) == 200
    slow = [ms for ms in result.latencies_ms if ms >= 100]
    assert len(slow) >= 30
    assert result.pct(99) >= 200
    assert result.pct(50) < 100  # outside the stall the server answers at once


async def test_a_steady_server_answers_at_the_asked_rate_without_queueing():
    server = await _server([])
    port = server.sockets[0].getsockname()[1]
    async with server:
        result = await open_loop("127.0.0.1", port, ["/a", "/b"], {"X-Test": "1"},
                                 rate=300, seconds=1.0)
    assert result.errors == 0 and result.sent == 300
    assert 250 <= result.achieved_rate <= 330
    assert result.pct(50) < 20
