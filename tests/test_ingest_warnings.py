"""What a parser skipped reaches the user: on the upload result, on the stored meeting, in
`liaison ingest --json`; and meetings stored before this existed get their bigram index."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys

from assistant.store.migrations import MIGRATIONS
from tests.conftest import FIXTURES

T = FIXTURES / "transcripts"
SKIPPED = "1 cue skipped at line 6 (unreadable timing '0:0:-6.-820 --> 0:0:1.300')"


def test_warnings_are_on_the_outcome_and_the_stored_meeting(liaison):
    outcome = liaison.ingest_path(T / "teams_classic_bad_cue.vtt")
    assert outcome.ok and outcome.warnings == [SKIPPED]
    assert outcome.meeting is not None and outcome.meeting.warnings == [SKIPPED]
    assert liaison.meeting(outcome.meeting.id).meeting.warnings == [SKIPPED]
    clean = liaison.ingest_path(T / "zoom.vtt")
    assert clean.warnings == [] and clean.meeting is not None and clean.meeting.warnings == []


def test_cli_ingest_json_lists_warnings_and_the_human_output_shows_them(home):
    env = {**os.environ, "LIAISON_HOME": str(home), "LIAISON_EMBEDDER": "hashing",
           "LIAISON_EXTRACTOR": "none", "COLUMNS": "200"}  # fmt: skip

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-c", "from assistant.cli import main; main()", *args],
            capture_output=True, text=True, env=env, timeout=120,
        )  # fmt: skip

    shown = run("ingest", str(T / "youtube_auto.vtt"))
    assert shown.returncode == 0, shown.stderr
    assert "no speaker names in this file" in shown.stderr
    result = run("ingest", str(T / "teams_classic_bad_cue.vtt"), "--json")
    assert result.returncode == 0, result.stderr
    [outcome] = json.loads(result.stdout)
    assert outcome["warnings"] == [SKIPPED]
    assert outcome["meeting"]["warnings"] == [SKIPPED]


def test_migration_indexes_chunks_stored_before_it(tmp_path):
    conn = sqlite3.connect(tmp_path / "old.db", isolation_level=None)
    before = [m for m in MIGRATIONS if m[0] < 10]
    after = [m for m in MIGRATIONS if m[0] == 10]
    conn.execute("BEGIN")
    for _, _, up in before:
        up(conn)
    conn.execute(
        "INSERT INTO meetings (id, title, date, content_hash, created_at)"
        " VALUES (1, 'Old', '2026-01-05', 'h', '2026-01-05')"
    )
    conn.execute(
        "INSERT INTO chunks (id, meeting_id, turn_start, turn_end, text)"
        " VALUES (1, 1, 0, 0, '佐藤: 会員プログラムの話'), (2, 1, 1, 1, 'Ana: hello')"
    )
    for _, _, up in after:
        up(conn)
    conn.execute("COMMIT")
    found = conn.execute(
        "SELECT rowid FROM chunks_bigrams WHERE chunks_bigrams MATCH '\"プロ\"'"
    ).fetchall()
    assert found == [(1,)]
    assert conn.execute("SELECT warnings FROM meetings").fetchone() == ("[]",)
