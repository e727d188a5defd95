"""A real SMTP server (aiosmtpd) that records what it accepted and can refuse on demand."""

import asyncio
import email
import socket
import threading
from collections import Counter
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Received:
    recipient: str
    raw: bytes

    @property
    def message(self) -> EmailMessage:
        return email.message_from_bytes(self.raw, policy=policy.default)


@dataclass
class RecordingHandler:
    """Accepts everything except what a test scripted: per recipient, replies to RCPT."""

    received: list[Received] = field(default_factory=list)
    attempts: Counter = field(default_factory=Counter)
    _scripted: dict[str, list[str]] = field(default_factory=dict)
    _always: dict[str, str] = field(default_factory=dict)
    _disruptions: dict[str, list[tuple[str, float]]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    # Seconds each DATA takes: a slower server keeps messages in flight longer.
    data_delay: float = 0.0

    def refuse_first(self, address: str, replies: list[str]) -> None:
        """Answer RCPT for `address` with `replies` in turn, then accept."""
        self._scripted[address.lower()] = list(replies)

    def refuse_always(self, address: str, reply: str) -> None:
        self._always[address.lower()] = reply

    def disrupt_first(self, address: str, actions: list[tuple[str, float]]) -> None:
        """At DATA for `address`: ("drop", 0) hangs up, ("stall", s) answers after s seconds."""
        self._disruptions[address.lower()] = list(actions)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        key = address.lower()
        with self._lock:
            self.attempts[key] += 1
            if key in self._always:
                return self._always[key]
            if self._scripted.get(key):
                return self._scripted[key].pop(0)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.data_delay:
            await asyncio.sleep(self.data_delay)
        with self._lock:
            scripted = [self._disruptions[r.lower()] for r in envelope.rcpt_tos
                        if self._disruptions.get(r.lower())]
            action, seconds = scripted[0].pop(0) if scripted else ("", 0.0)
        if action == "drop":
            server.transport.close()
            return "421 4.3.0 going away"
        if action == "stall":
            await asyncio.sleep(seconds)
        with self._lock:
            for rcpt in envelope.rcpt_tos:
                self.received.append(Received(rcpt.lower(), envelope.content))
        return "250 2.0.0 OK: queued"

    def to(self, address: str) -> list[Received]:
        """What was accepted for `address`."""
        with self._lock:
            return [r for r in self.received if r.recipient == address.lower()]

    def to_any(self, addresses) -> list[Received]:
        wanted = {a.lower() for a in addresses}
        with self._lock:
            return [r for r in self.received if r.recipient in wanted]


class SmtpSink:
    """aiosmtpd on a free local port, in its own thread."""

    def __init__(self, *, data_delay: float = 0.0):
        self.handler = RecordingHandler(data_delay=data_delay)
        self.port = free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    def __enter__(self) -> "SmtpSink":
        self.controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self.controller.stop()
