"""Runners: who works on the queued jobs of a server.

`ProcessRunner` (the default) keeps `job_workers` worker processes (worker.py) and watches them
from a thread: a worker that dies fails the job it held with the reason (killed by a signal, out
of memory) and is replaced; a job running past `job_timeout_s` has its worker killed and fails.
`ThreadRunner` runs jobs in a thread of this process, for a `Liaison` whose parts were given in
code (they cannot be rebuilt in another process) or `job_workers = 0`.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import socket
import threading
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Protocol

from assistant.jobs.worker import fail_job, run_one, signature, worker_main
from assistant.store import jobs as job_store

if TYPE_CHECKING:
    from multiprocessing.process import BaseProcess

    from assistant.service import Liaison

log = logging.getLogger(__name__)
WATCH_EVERY_S = 0.25


class Runner(Protocol):
    def start(self) -> None: ...

    def wake(self) -> None:
        """A job was queued: look now rather than at the next poll."""

    def stop(self) -> None: ...


class ThreadRunner:
    """Jobs in a thread of this process; the thread ends after a while without work and is
    started again by the next job."""

    IDLE_S = 30.0

    def __init__(self, app: Liaison):
        self.app = app
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self.name = signature("/thread")

    def start(self) -> None:
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._loop, name="liaison-jobs", daemon=True)
                self._thread.start()

    def wake(self) -> None:
        self._wake.set()
        self.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread:
            self._thread.join(timeout=30)

    def _loop(self) -> None:
        idle_since = time.monotonic()
        while not self._stop.is_set():
            try:
                if run_one(self.app, self.name):
                    idle_since = time.monotonic()
                    continue
            except Exception:  # the loop must outlive any one job
                log.exception("job runner")
            if time.monotonic() - idle_since > self.IDLE_S:
                with self._lock:  # a job queued meanwhile wakes a new thread
                    self._thread = None
                return
            self._wake.wait(1.0)
            self._wake.clear()


def _reason(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        hint = (
            " (by hand, or by the system when out of memory)" if -exitcode == signal.SIGKILL else ""
        )
        return f"the worker process was killed by {name}{hint} while ingesting this file"
    return f"the worker process stopped (exit code {exitcode}) while ingesting this file"


class ProcessRunner:
    def __init__(self, app: Liaison, workers: int):
        self.app = app
        self.count = workers
        self._ctx = multiprocessing.get_context("spawn")
        self._wake = self._ctx.Event()
        self._stop_workers = self._ctx.Event()
        self._stop = threading.Event()
        self._procs: list[BaseProcess] = []
        self._thread: threading.Thread | None = None
        self._settings = app.settings.model_dump_json()
        self._started: dict[int, float] = {}
        self._failures = 0

    def start(self) -> None:
        # Workers are started by the watcher thread: a worker dies with the thread that
        # started it (PR_SET_PDEATHSIG), and this thread lives as long as the runner.
        self._thread = threading.Thread(target=self._watch, name="liaison-workers", daemon=True)
        self._thread.start()

    def wake(self) -> None:
        self._wake.set()

    def pids(self) -> list[int]:
        return [p.pid for p in self._procs if p.pid]

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(timeout=10)

    def _respawn(self, n: int, *, held: bool) -> None:
        """Replace a dead worker; one that died on its own before any job (a broken install,
        a bad setting) is restarted with a growing pause, not in a tight loop."""
        quick = time.monotonic() - self._started.get(n, 0.0) < 10
        self._failures = 0 if held or not quick else self._failures + 1
        if self._failures:
            pause = min(60.0, 2.0**self._failures)
            log.error("worker process died on start (exit %s): retrying in %g s",
                      self._procs[n].exitcode, pause)  # fmt: skip
            if self._stop.wait(pause):
                return
        self._procs[n] = self._spawn(n)

    def _spawn(self, n: int = 0) -> BaseProcess:
        proc = self._ctx.Process(
            target=worker_main,
            args=(self._settings, self._wake, self._stop_workers, os.getpid()),
            name="liaison-worker",
            daemon=True,
        )
        proc.start()
        self._started[n] = time.monotonic()
        log.info("started worker process %s", proc.pid)
        return proc

    def _watch(self) -> None:
        self._procs = [self._spawn(n) for n in range(self.count)]
        try:
            while not self._stop.wait(WATCH_EVERY_S):
                try:
                    self._check()
                except Exception:
                    log.exception("watching the workers")
        finally:
            self._stop_workers.set()
            self._wake.set()
            for proc in self._procs:
                proc.join(timeout=5)
                if proc.is_alive():
                    proc.kill()
                    proc.join(timeout=5)

    def _check(self) -> None:
        running = job_store.running(self.app.db.connect())
        limit = self.app.settings.job_timeout_s
        for n, proc in enumerate(self._procs):
            name = f"{proc.pid}@{socket.gethostname()}"
            mine = [(job_id, started) for job_id, worker, _, started in running if worker == name]
            if not proc.is_alive():
                proc.join(timeout=1)
                for job_id, _ in mine:
                    fail_job(self.app, job_id, _reason(proc.exitcode))
                    log.warning("job %s failed: worker %s died (exit %s)", job_id, proc.pid,
                                proc.exitcode)  # fmt: skip
                self._respawn(n, held=bool(mine))
                continue
            for job_id, started in mine:
                if started and _age_s(started) > limit:
                    proc.kill()
                    proc.join(timeout=5)
                    fail_job(self.app, job_id, f"took longer than the {limit:g} s a job may take")
                    log.warning("job %s timed out: worker %s killed", job_id, proc.pid)
                    self._procs[n] = self._spawn(n)


def _age_s(stamp: str) -> float:
    return (datetime.now(UTC) - datetime.fromisoformat(stamp)).total_seconds()
