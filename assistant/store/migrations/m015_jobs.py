"""Upload jobs: one row per uploaded file, worked on by a worker process (assistant/jobs/).

A job keeps its uploaded bytes in the data folder (`path`) until it ends; `state` goes
queued → running → done | failed. `outcome` is the per-file result (IngestOutcome as JSON);
`stage`/`done`/`total` the progress a worker last reported; `worker` the process that claimed it
("pid@host"), so a restarted server knows which running jobs lost their worker.

`turn_words` keeps the word times of a transcribed recording, per turn (JSON
[[text, start, end], ...]); they go with their meeting."""

import sqlite3

from assistant.store.migrations import execute_script


def up(conn: sqlite3.Connection) -> None:
    execute_script(
        conn,
        """
        CREATE TABLE jobs (
            id INTEGER PRIMARY KEY,
            state TEXT NOT NULL DEFAULT 'queued'
                CHECK (state IN ('queued', 'running', 'done', 'failed')),
            filename TEXT NOT NULL,
            path TEXT,
            size INTEGER NOT NULL DEFAULT 0,
            options TEXT NOT NULL DEFAULT '{}',
            stage TEXT,
            done INTEGER NOT NULL DEFAULT 0,
            total INTEGER NOT NULL DEFAULT 0,
            outcome TEXT,
            error TEXT,
            attempts INTEGER NOT NULL DEFAULT 0,
            worker TEXT,
            created_by TEXT,
            created_at TEXT NOT NULL,
            started_at TEXT,
            finished_at TEXT
        );
        CREATE INDEX jobs_state ON jobs (state, id);

        CREATE TABLE turn_words (
            meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
            turn_index INTEGER NOT NULL,
            words TEXT NOT NULL,
            PRIMARY KEY (meeting_id, turn_index)
        );
        """,
    )
