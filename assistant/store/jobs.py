"""Queries on upload jobs (table `jobs`, migration m015).

Claiming is one UPDATE … RETURNING, so two workers (or two servers sharing a data folder) never
take the same job."""

from __future__ import annotations

import sqlite3

from assistant.errors import JobNotFound
from assistant.jobs.types import Job, JobOptions, JobState, fraction
from assistant.pipeline import IngestOutcome
from assistant.store.db import utcnow


def _job(row: sqlite3.Row) -> Job:
    data = dict(row)
    data.pop("path", None)
    data["options"] = JobOptions.model_validate_json(data["options"] or "{}")
    outcome = data.pop("outcome")
    data["outcome"] = IngestOutcome.model_validate_json(outcome) if outcome else None
    recording = data["options"].recording
    if data["state"] == JobState.done:
        data["progress"] = 1.0
    else:
        data["progress"] = fraction(data["stage"], data["done"], data["total"], recording=recording)
    return Job.model_validate(data)


def insert_job(
    conn: sqlite3.Connection,
    *,
    filename: str,
    path: str,
    size: int,
    options: JobOptions,
    created_by: str | None,
) -> int:
    cur = conn.execute(
        "INSERT INTO jobs (filename, path, size, options, created_by, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (filename, path, size, options.model_dump_json(), created_by, utcnow()),
    )
    return int(cur.lastrowid or 0)


def get_job(conn: sqlite3.Connection, job_id: int) -> Job:
    row = conn.execute("SELECT * FROM jobs WHERE id = ?", (job_id,)).fetchone()
    if row is None:
        raise JobNotFound(job_id)
    return _job(row)


def get_jobs(conn: sqlite3.Connection, ids: list[int]) -> list[Job]:
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    rows = conn.execute(f"SELECT * FROM jobs WHERE id IN ({marks})", ids).fetchall()
    found = {row["id"]: _job(row) for row in rows}
    return [found[i] for i in ids if i in found]


def list_jobs(
    conn: sqlite3.Connection, state: JobState | None, limit: int, offset: int
) -> tuple[list[Job], int]:
    where, args = ("WHERE state = ?", [state.value]) if state else ("", [])
    total = conn.execute(f"SELECT COUNT(*) FROM jobs {where}", args).fetchone()[0]
    rows = conn.execute(
        f"SELECT * FROM jobs {where} ORDER BY id DESC LIMIT ? OFFSET ?",
        [*args, limit, offset],
    ).fetchall()
    return [_job(r) for r in rows], int(total)


def job_path(conn: sqlite3.Connection, job_id: int) -> str | None:
    row = conn.execute("SELECT path FROM jobs WHERE id = ?", (job_id,)).fetchone()
    return row[0] if row else None


def claim(conn: sqlite3.Connection, worker: str) -> Job | None:
    """Take the oldest queued job for `worker`, or None when there is none."""
    row = conn.execute(
        "UPDATE jobs SET state = 'running', worker = ?, started_at = ?, attempts = attempts + 1,"
        " stage = NULL, done = 0, total = 0"
        " WHERE id = (SELECT id FROM jobs WHERE state = 'queued' ORDER BY id LIMIT 1)"
        " AND state = 'queued' RETURNING id",
        (worker, utcnow()),
    ).fetchone()
    return get_job(conn, row[0]) if row else None


def set_progress(conn: sqlite3.Connection, job_id: int, stage: str, done: int, total: int) -> None:
    conn.execute(
        "UPDATE jobs SET stage = ?, done = ?, total = ? WHERE id = ? AND state = 'running'",
        (stage, done, total, job_id),
    )


def finish(conn: sqlite3.Connection, job_id: int, outcome: IngestOutcome) -> None:
    """The job ended with this outcome: done when the file went in (or was a duplicate),
    failed when it was refused. The uploaded bytes are no longer needed."""
    state = JobState.failed if outcome.error else JobState.done
    conn.execute(
        "UPDATE jobs SET state = ?, outcome = ?, error = ?, finished_at = ?, path = NULL"
        " WHERE id = ?",
        (state.value, outcome.model_dump_json(), outcome.error, utcnow(), job_id),
    )


def running(conn: sqlite3.Connection) -> list[tuple[int, str | None, int, str | None]]:
    """(id, worker, attempts, started_at) of every running job."""
    rows = conn.execute("SELECT id, worker, attempts, started_at FROM jobs WHERE state = 'running'")
    return [(r[0], r[1], r[2], r[3]) for r in rows]


def requeue(conn: sqlite3.Connection, job_id: int) -> None:
    conn.execute(
        "UPDATE jobs SET state = 'queued', worker = NULL, stage = NULL, done = 0, total = 0"
        " WHERE id = ? AND state = 'running'",
        (job_id,),
    )


def live_paths(conn: sqlite3.Connection) -> set[str]:
    """Upload files that jobs not yet ended still need."""
    rows = conn.execute("SELECT path FROM jobs WHERE path IS NOT NULL")
    return {r[0] for r in rows}
