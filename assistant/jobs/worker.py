"""A worker: claims queued jobs from SQLite and runs each through the ingest pipeline.

`worker_main` is the entry point of a worker process (started by runner.ProcessRunner with the
'spawn' method, so it shares nothing with the server but the data folder); `run_one` is the same
work for a thread of the server (job_workers = 0, or parts given in code).
"""

from __future__ import annotations

import logging
import os
import socket
import time
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.errors import WorkerFailed
from assistant.jobs.types import Job
from assistant.pipeline import IngestOutcome
from assistant.store import jobs as job_store

if TYPE_CHECKING:
    from multiprocessing.synchronize import Event

    from assistant.service import Liaison

log = logging.getLogger(__name__)
REPORT_EVERY_S = 0.5  # progress writes, at most this often per job (stage changes always)


def signature(kind: str = "") -> str:
    """'pid@host' (with '/thread' for a server thread): who is running a job."""
    return f"{os.getpid()}@{socket.gethostname()}{kind}"


def fail_job(app: Liaison, job_id: int, reason: str, error_type: str = "WorkerFailed") -> None:
    """End a job as failed with `reason` (its file is named in the message); drop its bytes."""
    conn = app.db.connect()
    job = job_store.get_job(conn, job_id)
    path = job_store.job_path(conn, job_id)
    outcome = IngestOutcome(
        source=job.filename, error=f"{job.filename}: {reason}", error_type=error_type
    )
    with app.db.transaction() as tx:
        job_store.finish(tx, job_id, outcome)
    if path:
        Path(path).unlink(missing_ok=True)


class _Reporter:
    """The pipeline's progress callback, written to the job row (throttled)."""

    def __init__(self, app: Liaison, job_id: int):
        self.app, self.job_id = app, job_id
        self.stage: str | None = None
        self.last = 0.0

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if stage == self.stage and now - self.last < REPORT_EVERY_S and done < total:
            return
        self.stage, self.last = stage, now
        try:
            with self.app.db.transaction() as tx:
                job_store.set_progress(tx, self.job_id, stage, int(done), int(total))
        except Exception:  # progress is a courtesy: never fail the ingest over it
            log.warning("could not record the progress of job %s", self.job_id, exc_info=True)


def run_job(app: Liaison, job: Job) -> IngestOutcome:
    """Ingest a claimed job's file and record the outcome. Never raises for the file's sake."""
    conn = app.db.connect()
    path = job_store.job_path(conn, job.id)
    try:
        data = Path(path).read_bytes() if path else None
    except OSError:
        data = None
    if data is None:
        fail_job(app, job.id, "the uploaded file is no longer in the data folder", "IngestError")
        return job_store.get_job(conn, job.id).outcome or IngestOutcome(source=job.filename)
    opts = job.options
    try:
        outcome = app.ingest_bytes(
            data,
            job.filename,
            title=opts.title,
            day=opts.day,
            kind=opts.kind,
            progress=_Reporter(app, job.id),
        )
    except MemoryError:
        err = WorkerFailed(
            f"needs more memory than a worker may use ({app.settings.worker_memory_mb} MB)",
            source=job.filename,
        )
        outcome = IngestOutcome(source=job.filename, error=str(err), error_type="WorkerFailed")
    except Exception as exc:  # a bug met on this file: it fails, the worker goes on
        log.exception("job %s (%s) failed", job.id, job.filename)
        outcome = IngestOutcome(
            source=job.filename,
            error=f"{job.filename}: could not be ingested ({type(exc).__name__}: {exc})"[:500],
            error_type="WorkerFailed",
        )
    with app.db.transaction() as tx:
        job_store.finish(tx, job.id, outcome)
    if path:
        Path(path).unlink(missing_ok=True)
    return outcome


def run_one(app: Liaison, worker: str) -> bool:
    """Claim and run one queued job; False when there was none."""
    with app.db.transaction() as tx:
        job = job_store.claim(tx, worker)
    if job is None:
        return False
    run_job(app, job)
    return True


def _die_with_parent() -> None:
    """Linux: the kernel kills this worker when the server that started it dies (kill -9
    included), so no orphan goes on writing to the data folder."""
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: the parent check in the loop remains
        pass


def _limit_memory(megabytes: int) -> None:
    import resource

    limit = megabytes * 1024 * 1024
    try:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ValueError, OSError):
        log.warning("could not limit the worker's memory to %s MB", megabytes)


def worker_main(settings_json: str, wake: Event, stop: Event, parent: int) -> None:
    """A worker process: build a `Liaison` from the server's settings and run jobs until told
    to stop (or the server is gone)."""
    _die_with_parent()
    import json

    from assistant.config import Settings
    from assistant.service import Liaison

    settings = Settings(**json.loads(settings_json))
    _limit_memory(settings.worker_memory_mb)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s worker %(message)s")
    app = Liaison(settings)
    try:  # load the models now, not on the first upload
        app.embedder.embed_batch(["warm up"])
        _ = app.extractor
    except Exception:  # a broken model shows on the job that needs it, with its reason
        log.exception("worker warm-up")
    me = signature()
    while not stop.is_set() and os.getppid() == parent:
        if run_one(app, me):
            continue
        wake.wait(2.0)
        wake.clear()
