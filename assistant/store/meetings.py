"""Queries on meetings, turns and chunks."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from datetime import date

import numpy as np

from assistant.errors import MeetingNotFound
from assistant.models import Chunk, Meeting, MeetingKind, SearchFilters, Turn
from assistant.store.db import first_name_pattern, next_id, utcnow
from assistant.unspaced import for_index, has_unspaced


def _meeting(row: sqlite3.Row) -> Meeting:
    data = dict(row)
    data["attendees"] = json.loads(data["attendees"])
    data["warnings"] = json.loads(data.get("warnings") or "[]")
    return Meeting.model_validate(data)


def insert_meeting(
    conn: sqlite3.Connection,
    *,
    title: str,
    day: date,
    kind: MeetingKind,
    source_name: str,
    fmt: str,
    content_hash: str,
    turns: list[Turn],
    warnings: list[str] | None = None,
) -> int:
    speakers: list[str] = []
    for turn in turns:
        if turn.speaker and turn.speaker not in speakers:
            speakers.append(turn.speaker)
    ends = [t.end_s for t in turns if t.end_s is not None]
    meeting_id = next_id(conn, "meetings")
    conn.execute(
        "INSERT INTO meetings (id, title, date, kind, source_name, format, content_hash,"
        " attendees, turn_count, word_count, duration_s, created_at, warnings)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (
            meeting_id,
            title,
            day.isoformat(),
            kind.value,
            source_name,
            fmt,
            content_hash,
            json.dumps(speakers),
            len(turns),
            sum(len(t.text.split()) for t in turns),
            max(ends) if ends else None,
            utcnow(),
            json.dumps(warnings or []),
        ),
    )
    conn.executemany(
        "INSERT INTO turns (meeting_id, idx, speaker, text, start_s, end_s) VALUES (?,?,?,?,?,?)",
        [(meeting_id, t.index, t.speaker, t.text, t.start_s, t.end_s) for t in turns],
    )
    return meeting_id


def find_by_hash(conn: sqlite3.Connection, content_hash: str) -> Meeting | None:
    row = conn.execute("SELECT * FROM meetings WHERE content_hash = ?", (content_hash,)).fetchone()
    return _meeting(row) if row else None


def get_meeting(conn: sqlite3.Connection, meeting_id: int) -> Meeting:
    row = conn.execute("SELECT * FROM meetings WHERE id = ?", (meeting_id,)).fetchone()
    if row is None:
        raise MeetingNotFound(meeting_id)
    return _meeting(row)


def next_meeting_of_kind(
    conn: sqlite3.Connection, kind: MeetingKind, after: date
) -> Meeting | None:
    """The first meeting of `kind` dated after `after` ("before the QBR" waits for it)."""
    row = conn.execute(
        "SELECT * FROM meetings WHERE kind = ? AND date > ? ORDER BY date, id LIMIT 1",
        (kind.value, after.isoformat()),
    ).fetchone()
    return _meeting(row) if row else None


def speaker_sql(speaker: str, column: str = "c.id") -> tuple[str, list]:
    """SQL that keeps chunks where `speaker` speaks (full name, or first name of a full name)."""
    return (
        f"{column} IN (SELECT chunk_id FROM chunk_speakers WHERE speaker = ?"
        " OR speaker LIKE ? ESCAPE '\\')",
        [speaker, first_name_pattern(speaker)],
    )


def filter_sql(filters: SearchFilters, alias: str = "m") -> tuple[str, list]:
    """WHERE clause over the meetings table for the meeting-level filters."""
    clauses: list[str] = []
    params: list[object] = []
    if filters.meeting_id is not None:
        clauses.append(f"{alias}.id = ?")
        params.append(filters.meeting_id)
    if filters.since is not None:
        clauses.append(f"{alias}.date >= ?")
        params.append(filters.since.isoformat())
    if filters.until is not None:
        clauses.append(f"{alias}.date <= ?")
        params.append(filters.until.isoformat())
    if filters.kind is not None:
        clauses.append(f"{alias}.kind = ?")
        params.append(filters.kind.value)
    if filters.speaker:
        clauses.append(
            f"EXISTS (SELECT 1 FROM turns t WHERE t.meeting_id = {alias}.id AND"
            " (t.speaker = ? COLLATE NOCASE OR t.speaker LIKE ? ESCAPE '\\'))"
        )
        params += [filters.speaker, first_name_pattern(filters.speaker)]
    return (" AND ".join(clauses) or "1"), params


def list_meetings(
    conn: sqlite3.Connection, filters: SearchFilters, limit: int = 50, offset: int = 0
) -> tuple[list[Meeting], int]:
    """Meetings newest first, and the total count matching the filters (for pagination)."""
    where, params = filter_sql(filters)
    total = conn.execute(f"SELECT COUNT(*) FROM meetings m WHERE {where}", params).fetchone()[0]
    rows = conn.execute(
        f"SELECT * FROM meetings m WHERE {where} ORDER BY m.date DESC, m.id DESC LIMIT ? OFFSET ?",
        [*params, limit, offset],
    ).fetchall()
    return [_meeting(r) for r in rows], int(total)


def get_turns(conn: sqlite3.Connection, meeting_id: int) -> list[Turn]:
    rows = conn.execute(
        "SELECT idx AS 'index', speaker, text, start_s, end_s FROM turns WHERE meeting_id = ?"
        " ORDER BY idx",
        (meeting_id,),
    ).fetchall()
    return [Turn.model_validate(dict(r)) for r in rows]


def delete_meeting(conn: sqlite3.Connection, meeting_id: int) -> list[int]:
    """Delete a meeting and everything hanging off it; return the ids of its chunks."""
    get_meeting(conn, meeting_id)
    chunk_ids = [
        r[0] for r in conn.execute("SELECT id FROM chunks WHERE meeting_id = ?", (meeting_id,))
    ]
    conn.execute("DELETE FROM chunks WHERE meeting_id = ?", (meeting_id,))
    conn.execute("DELETE FROM meetings WHERE id = ?", (meeting_id,))
    return chunk_ids


def set_extraction(
    conn: sqlite3.Connection, meeting_id: int, extractor: str, note: str | None
) -> None:
    conn.execute(
        "UPDATE meetings SET extractor = ?, extraction_note = ? WHERE id = ?",
        (extractor, note, meeting_id),
    )


def insert_chunks(
    conn: sqlite3.Connection, chunks: list[Chunk], vectors: np.ndarray, model: str
) -> list[int]:
    ids = []
    for chunk, vector in zip(chunks, vectors, strict=True):
        cur = conn.execute(
            "INSERT INTO chunks (meeting_id, turn_start, turn_end, start_s, end_s, speakers, text,"
            " vector, model) VALUES (?,?,?,?,?,?,?,?,?)",
            (
                chunk.meeting_id,
                chunk.turn_start,
                chunk.turn_end,
                chunk.start_s,
                chunk.end_s,
                json.dumps(chunk.speakers),
                chunk.text,
                np.asarray(vector, dtype=np.float32).tobytes(),
                model,
            ),
        )
        chunk_id = int(cur.lastrowid or 0)
        if has_unspaced(chunk.text):  # Chinese, Japanese…: searchable by character bigrams
            conn.execute(
                "INSERT INTO chunks_bigrams (rowid, text) VALUES (?, ?)",
                (chunk_id, for_index(chunk.text)),
            )
        conn.executemany(
            "INSERT OR IGNORE INTO chunk_speakers (chunk_id, speaker) VALUES (?, ?)",
            [(chunk_id, s) for s in chunk.speakers],
        )
        ids.append(chunk_id)
    return ids


def get_chunks(conn: sqlite3.Connection, ids: Iterable[int]) -> dict[int, Chunk]:
    ids = list(ids)
    out: dict[int, Chunk] = {}
    for start in range(0, len(ids), 500):
        part = ids[start : start + 500]
        marks = ",".join("?" * len(part))
        for row in conn.execute(
            "SELECT id, meeting_id, turn_start, turn_end, start_s, end_s, speakers, text"
            f" FROM chunks WHERE id IN ({marks})",
            part,
        ):
            data = dict(row)
            data["speakers"] = json.loads(data["speakers"])
            out[data["id"]] = Chunk.model_validate(data)
    return out


def chunk_ids_matching(conn: sqlite3.Connection, filters: SearchFilters) -> np.ndarray | None:
    """Chunk ids the filters allow, or None when there is no filter."""
    if filters == SearchFilters():
        return None
    where, params = filter_sql(filters.model_copy(update={"speaker": None}))
    sql = f"SELECT c.id FROM chunks c JOIN meetings m ON m.id = c.meeting_id WHERE {where}"
    if filters.speaker:
        clause, extra = speaker_sql(filters.speaker)
        sql += f" AND {clause}"
        params = [*params, *extra]
    return np.fromiter((r[0] for r in conn.execute(sql, params)), dtype=np.int64)


def iter_vectors(
    conn: sqlite3.Connection, batch: int = 10_000
) -> Iterator[tuple[np.ndarray, np.ndarray, list[str]]]:
    """All stored chunk vectors in batches: (ids, vectors, model names)."""
    last = 0
    while True:
        rows = conn.execute(
            "SELECT id, vector, model FROM chunks WHERE id > ? AND vector IS NOT NULL"
            " ORDER BY id LIMIT ?",
            (last, batch),
        ).fetchall()
        if not rows:
            return
        ids = np.array([r[0] for r in rows], dtype=np.int64)
        vectors = np.vstack([np.frombuffer(r[1], dtype=np.float32) for r in rows])
        yield ids, vectors, [r[2] for r in rows]
        last = int(ids[-1])


def chunk_count(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT COUNT(*) FROM chunks").fetchone()[0])


def speakers(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute("SELECT DISTINCT speaker FROM turns WHERE speaker IS NOT NULL").fetchall()
    return [r[0] for r in rows]
