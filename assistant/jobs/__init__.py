"""Upload jobs: an uploaded file is queued in SQLite and ingested by a worker process.

    JobQueue.submit(bytes, name, options) ─▶ jobs row (queued) + the bytes in $HOME/uploads/
    worker process (worker.py)           ─▶ claims it, runs the pipeline, reports progress,
                                            stores the outcome (done | failed), drops the bytes
    runner (runner.py), in the server    ─▶ starts the workers, fails the job of a worker that
                                            died or ran too long, and starts another

Parsing, embedding and extraction so run in another interpreter: a pathological file cannot
hold the server's (its GIL, its memory), and `/health` and `/search` keep answering. A worker is
limited in address space (`LIAISON_WORKER_MEMORY_MB`) and time (`LIAISON_JOB_TIMEOUT_S`).
Jobs survive a restart: queued ones are picked up again; a running one whose worker is gone is
queued once more (ingest is atomic and idempotent by content hash: nothing half-stored, nothing
doubled), and failed with a reason if its worker died on it twice.
"""

from __future__ import annotations

import logging
import os
import threading
import time
import uuid
from typing import TYPE_CHECKING

from assistant.jobs.types import Job, JobOptions, JobState
from assistant.jobs.worker import fail_job
from assistant.store import jobs as job_store

if TYPE_CHECKING:
    from assistant.jobs.runner import Runner
    from assistant.service import Liaison

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 2  # a job whose worker died on it twice is failed, not tried a third time

__all__ = ["Job", "JobOptions", "JobQueue", "JobState"]


class JobQueue:
    """Submit, follow and run upload jobs for one `Liaison`."""

    def __init__(self, app: Liaison):
        self.app = app
        self.folder = app.settings.home / "uploads"
        self._runner: Runner | None = None
        self._lock = threading.Lock()

    # ------------------------------------------------------------------ submitting, reading

    def submit(
        self,
        data: bytes,
        filename: str,
        options: JobOptions | None = None,
        *,
        created_by: str | None = None,
        start: bool = True,
    ) -> Job:
        """Keep the bytes in the data folder and queue a job for them."""
        from assistant.transcribe import is_recording

        options = (options or JobOptions()).model_copy(update={"recording": is_recording(data)})
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"{uuid.uuid4().hex}.upload"
        partial = path.with_suffix(".partial")
        partial.write_bytes(data)
        os.replace(partial, path)  # a crash leaves a .partial, never a half file a job names
        with self.app.db.transaction() as tx:
            job_id = job_store.insert_job(
                tx,
                filename=filename,
                path=str(path),
                size=len(data),
                options=options,
                created_by=created_by,
            )
        if start:
            self.start().wake()
        return self.get(job_id)

    def get(self, job_id: int) -> Job:
        return job_store.get_job(self.app.db.connect(), job_id)

    def get_many(self, ids: list[int]) -> list[Job]:
        return job_store.get_jobs(self.app.db.connect(), ids)

    def list_jobs(
        self, state: JobState | None = None, limit: int = 50, offset: int = 0
    ) -> tuple[list[Job], int]:
        return job_store.list_jobs(self.app.db.connect(), state, limit, offset)

    def wait(self, ids: list[int], timeout_s: float | None = None) -> list[Job]:
        """The jobs, once all have ended or `timeout_s` has passed (None: no limit)."""
        deadline = None if timeout_s is None else time.monotonic() + timeout_s
        pause = 0.01
        while True:
            jobs = self.get_many(ids)
            if all(j.ended for j in jobs):
                return jobs
            if deadline is not None and time.monotonic() >= deadline:
                return jobs
            time.sleep(pause)
            pause = min(0.25, pause * 1.5)

    # ------------------------------------------------------------------ running

    def start(self) -> Runner:
        """Start the runner (once): worker processes, or a thread of this process when the
        `Liaison` holds parts given to it in code (they exist only here) or job_workers is 0."""
        with self._lock:
            if self._runner is None:
                from assistant.jobs.runner import ProcessRunner, ThreadRunner

                self.recover()
                workers = self.app.settings.job_workers
                if workers and not self.app.own_parts:
                    self._runner = ProcessRunner(self.app, workers)
                else:
                    self._runner = ThreadRunner(self.app)
                self._runner.start()
            return self._runner

    def stop(self) -> None:
        with self._lock:
            runner, self._runner = self._runner, None
        if runner:
            runner.stop()

    def recover(self) -> None:
        """After a restart: running jobs whose worker is gone are queued again (or failed after
        MAX_ATTEMPTS), and upload files no job names any more are removed."""
        conn = self.app.db.connect()
        for job_id, worker, attempts, _started in job_store.running(conn):
            if worker_alive(worker):
                continue
            if attempts >= MAX_ATTEMPTS:
                fail_job(
                    self.app,
                    job_id,
                    "the worker stopped while ingesting this file, twice; it was not tried again",
                )
            else:
                log.info("job %s lost its worker (%s): queued again", job_id, worker)
                with self.app.db.transaction() as tx:
                    job_store.requeue(tx, job_id)
        if self.folder.is_dir():
            live = job_store.live_paths(conn)
            for path in self.folder.iterdir():
                if str(path) not in live and path.stat().st_mtime < time.time() - 60:
                    path.unlink(missing_ok=True)


def worker_alive(worker: str | None) -> bool:
    """Whether the process named 'pid@host' (as workers sign their jobs) still runs here."""
    import socket

    if not worker or "@" not in worker:
        return False
    pid, _, host = worker.partition("@")
    if host.split("/")[0] != socket.gethostname():
        return True  # another machine's worker: not ours to judge
    try:
        os.kill(int(pid), 0)
    except (ValueError, ProcessLookupError):
        return False
    except PermissionError:
        return True
    return True
