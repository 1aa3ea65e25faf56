"""The delivery worker: a daemon thread of `liaison serve` that sends the webhook outbox.

It wakes when an event is queued in this process, and at least every `POLL_S` seconds (so
events queued by a CLI or another server process, and retries that came due, go out too).
Several workers on one database are safe: a row is claimed before it is sent.
"""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime

log = logging.getLogger(__name__)
POLL_S = 5.0


class Worker:
    def __init__(self, webhooks, poll_s: float = POLL_S):
        self.webhooks = webhooks
        self.poll_s = poll_s
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> Worker:
        self._thread = threading.Thread(target=self._run, name="liaison-webhooks", daemon=True)
        self._thread.start()
        return self

    def wake(self) -> None:
        self._wake.set()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.clear()
            try:
                self.webhooks.run_once(datetime.now(UTC))
            except Exception:  # a bad round must not end the worker; the next one tries again
                log.exception("delivering webhooks failed")
            self._wake.wait(self.poll_s)
        self.webhooks.close_thread()  # this thread's database connection and HTTP client
