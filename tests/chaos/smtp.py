"""The SMTP server of the chaos stack: aiosmtpd on a fixed port that a fault can stop and
start again, keeping what it received; digests are counted by Message-ID."""

import threading
from collections import defaultdict

from aiosmtpd.controller import Controller

from tests.integration.notifier.smtp_sink import RecordingHandler


class StoppableSink:
    """One recording handler across any number of server lifetimes on the same port."""

    def __init__(self, port: int, *, data_delay: float = 0.0):
        self.port = port
        self.handler = RecordingHandler(data_delay=data_delay)
        self._controller: Controller | None = None
        self._lock = threading.Lock()

    def start(self) -> None:
        with self._lock:
            if self._controller is None:
                self._controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
                self._controller.start()

    def stop(self) -> None:
        with self._lock:
            if self._controller is not None:
                self._controller.stop()
                self._controller = None

    def message_ids(self) -> dict[str, list[str]]:
        """Recipient -> the Message-ID of every message accepted for it, repeats included."""
        with self.handler._lock:
            received = list(self.handler.received)
        seen: dict[str, list[str]] = defaultdict(list)
        for item in received:
            seen[item.recipient].append(str(item.message["Message-ID"]).strip())
        return seen

    def count(self) -> int:
        with self.handler._lock:
            return len(self.handler.received)
