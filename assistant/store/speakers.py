"""Queries for speaker names: a meeting's speakers, renames (and what they changed), aliases."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence

import numpy as np
from pydantic import BaseModel

from assistant.errors import NotFound
from assistant.models import Evidence
from assistant.store.db import utcnow
from assistant.unspaced import for_index, has_unspaced


class SpeakerCount(BaseModel):
    name: str | None  # None: turns with no speaker name
    turns: int


class SpeakerRename(BaseModel):
    """One rename of a meeting's speaker: undoable as a whole (the last one first)."""

    id: int
    meeting_id: int
    old_name: str | None
    new_name: str
    turns: list[int]
    author: str | None = None
    undone: bool = False
    created_at: str


class SpeakerAlias(BaseModel):
    alias: str
    name: str
    author: str | None = None
    created_at: str


class ChunkRow(BaseModel):
    id: int
    turn_start: int
    turn_end: int
    text: str
    speakers: list[str]


# ----------------------------------------------------------------- speakers of a meeting


def speaker_counts(conn: sqlite3.Connection, meeting_id: int) -> list[SpeakerCount]:
    """Each speaker of a meeting (and the unnamed turns) with their number of turns, in order
    of first appearance."""
    rows = conn.execute(
        "SELECT speaker, COUNT(*) AS n, MIN(idx) AS first FROM turns WHERE meeting_id = ?"
        " GROUP BY speaker ORDER BY first",
        (meeting_id,),
    ).fetchall()
    return [SpeakerCount(name=r["speaker"], turns=r["n"]) for r in rows]


def set_turn_speakers(
    conn: sqlite3.Connection, meeting_id: int, speakers: dict[int, str | None]
) -> None:
    conn.executemany(
        "UPDATE turns SET speaker = ? WHERE meeting_id = ? AND idx = ?",
        [(name, meeting_id, idx) for idx, name in speakers.items()],
    )


def set_attendees(conn: sqlite3.Connection, meeting_id: int, attendees: list[str]) -> None:
    conn.execute(
        "UPDATE meetings SET attendees = ? WHERE id = ?", (json.dumps(attendees), meeting_id)
    )


def chunks_over(conn: sqlite3.Connection, meeting_id: int, turns: Sequence[int]) -> list[ChunkRow]:
    """The meeting's chunks whose windows hold any of `turns`."""
    if not turns:
        return []
    low, high = min(turns), max(turns)
    wanted = set(turns)
    rows = conn.execute(
        "SELECT id, turn_start, turn_end, text, speakers FROM chunks WHERE meeting_id = ?"
        " AND turn_end >= ? AND turn_start <= ? ORDER BY id",
        (meeting_id, low, high),
    ).fetchall()
    out = []
    for r in rows:
        if any(i in wanted for i in range(r["turn_start"], r["turn_end"] + 1)):
            out.append(ChunkRow.model_validate({**dict(r), "speakers": json.loads(r["speakers"])}))
    return out


def chunks_by_id(conn: sqlite3.Connection, ids: Sequence[int]) -> dict[int, ChunkRow]:
    out: dict[int, ChunkRow] = {}
    for start in range(0, len(ids), 500):
        part = list(ids[start : start + 500])
        marks = ",".join("?" * len(part))
        for r in conn.execute(
            f"SELECT id, turn_start, turn_end, text, speakers FROM chunks WHERE id IN ({marks})",
            part,
        ):
            out[r["id"]] = ChunkRow.model_validate(
                {**dict(r), "speakers": json.loads(r["speakers"])}
            )
    return out


def rewrite_chunk(
    conn: sqlite3.Connection,
    chunk_id: int,
    text: str,
    speakers: list[str],
    vector: np.ndarray,
    model: str,
) -> None:
    """New text, speakers and vector for a chunk, with its full-text rows and speaker filter
    rows (the FTS table holds a copy of the text: its old row is deleted by value)."""
    old = conn.execute("SELECT text FROM chunks WHERE id = ?", (chunk_id,)).fetchone()
    if old is None:
        return
    conn.execute(
        "INSERT INTO chunks_fts(chunks_fts, rowid, text) VALUES ('delete', ?, ?)",
        (chunk_id, old[0]),
    )
    conn.execute(
        "UPDATE chunks SET text = ?, speakers = ?, vector = ?, model = ? WHERE id = ?",
        (
            text,
            json.dumps(speakers),
            np.asarray(vector, dtype=np.float32).tobytes(),
            model,
            chunk_id,
        ),
    )
    conn.execute("INSERT INTO chunks_fts(rowid, text) VALUES (?, ?)", (chunk_id, text))
    conn.execute("DELETE FROM chunks_bigrams WHERE rowid = ?", (chunk_id,))
    if has_unspaced(text):
        conn.execute(
            "INSERT INTO chunks_bigrams (rowid, text) VALUES (?, ?)", (chunk_id, for_index(text))
        )
    conn.execute("DELETE FROM chunk_speakers WHERE chunk_id = ?", (chunk_id,))
    conn.executemany(
        "INSERT OR IGNORE INTO chunk_speakers (chunk_id, speaker) VALUES (?, ?)",
        [(chunk_id, s) for s in speakers],
    )


# ----------------------------------------------------------------- items


def evidence_rows(conn: sqlite3.Connection, meeting_id: int) -> list[sqlite3.Row]:
    """Items whose evidence or status evidence may quote the meeting: its own, and those of
    other meetings whose status it changed."""
    return conn.execute(
        "SELECT id, evidence, status_evidence FROM items WHERE meeting_id = ?"
        " OR status_evidence != '[]'",
        (meeting_id,),
    ).fetchall()


def set_evidence(
    conn: sqlite3.Connection, item_id: int, column: str, evidence: list[Evidence] | str
) -> None:
    if column not in ("evidence", "status_evidence"):
        raise ValueError(column)
    value = (
        evidence
        if isinstance(evidence, str)
        else json.dumps([e.model_dump(mode="json") for e in evidence])
    )
    conn.execute(f"UPDATE items SET {column} = ? WHERE id = ?", (value, item_id))


def change_item_field(
    conn: sqlite3.Connection,
    item_id: int,
    field: str,
    old: str | None,
    new: str | None,
    *,
    author: str | None,
    batch: str,
    meeting_id: int,
) -> None:
    """A field a rename changed, recorded in the item's history (source 'rename'; not a
    person's correction of the item, so a re-extraction may set it again)."""
    if field not in ("owner", "text", "team"):
        raise ValueError(field)
    now = utcnow()
    conn.execute(f"UPDATE items SET {field} = ?, updated_at = ? WHERE id = ?", (new, now, item_id))
    conn.execute(
        "INSERT INTO item_edits (item_id, field, old_value, new_value, author, source,"
        " created_at, batch, meeting_id) VALUES (?,?,?,?,?,'rename',?,?,?)",
        (item_id, field, old, new, author, now, batch, meeting_id),
    )


def undo_item_fields(conn: sqlite3.Connection, batch: str) -> int:
    """Put back the item fields a rename changed, where they still hold what it set (a later
    change, by a person or a meeting, stays); return how many fields went back."""
    rows = conn.execute(
        "SELECT e.id, e.item_id, e.field, e.old_value, e.new_value FROM item_edits e"
        " WHERE e.batch = ? AND e.source = 'rename' AND e.undone = 0 ORDER BY e.id DESC",
        (batch,),
    ).fetchall()
    restored = 0
    for row in rows:
        field = row["field"]
        current = conn.execute(f"SELECT {field} FROM items WHERE id = ?", (row["item_id"],))
        value = current.fetchone()
        if value is not None and value[0] == row["new_value"]:
            conn.execute(
                f"UPDATE items SET {field} = ?, updated_at = ? WHERE id = ?",
                (row["old_value"], utcnow(), row["item_id"]),
            )
            restored += 1
        conn.execute("UPDATE item_edits SET undone = 1 WHERE id = ?", (row["id"],))
    return restored


# ----------------------------------------------------------------- renames


def _rename(row: sqlite3.Row) -> SpeakerRename:
    data = dict(row)
    data["turns"] = json.loads(data["turns"])
    data["undone"] = bool(data["undone"])
    data.pop("before", None)
    data.pop("batch", None)
    return SpeakerRename.model_validate(data)


def insert_rename(
    conn: sqlite3.Connection,
    *,
    meeting_id: int,
    old_name: str | None,
    new_name: str,
    turns: list[int],
    before: dict,
    batch: str,
    author: str | None,
) -> SpeakerRename:
    cur = conn.execute(
        "INSERT INTO speaker_renames (meeting_id, old_name, new_name, turns, before, batch,"
        " author, created_at) VALUES (?,?,?,?,?,?,?,?)",
        (
            meeting_id,
            old_name,
            new_name,
            json.dumps(turns),
            json.dumps(before),
            batch,
            author,
            utcnow(),
        ),
    )
    row = conn.execute("SELECT * FROM speaker_renames WHERE id = ?", (cur.lastrowid,)).fetchone()
    return _rename(row)


def last_rename(
    conn: sqlite3.Connection, meeting_id: int
) -> tuple[SpeakerRename, dict, str] | None:
    """The meeting's most recent rename not yet undone, with what it changed and its batch."""
    row = conn.execute(
        "SELECT * FROM speaker_renames WHERE meeting_id = ? AND undone = 0 ORDER BY id DESC"
        " LIMIT 1",
        (meeting_id,),
    ).fetchone()
    if row is None:
        return None
    return _rename(row), json.loads(row["before"]), row["batch"]


def mark_undone(conn: sqlite3.Connection, rename_id: int) -> None:
    conn.execute("UPDATE speaker_renames SET undone = 1 WHERE id = ?", (rename_id,))


def list_renames(conn: sqlite3.Connection, meeting_id: int) -> list[SpeakerRename]:
    rows = conn.execute(
        "SELECT * FROM speaker_renames WHERE meeting_id = ? ORDER BY id", (meeting_id,)
    ).fetchall()
    return [_rename(r) for r in rows]


# ----------------------------------------------------------------- aliases


def get_alias(conn: sqlite3.Connection, alias: str) -> SpeakerAlias | None:
    row = conn.execute("SELECT * FROM speaker_aliases WHERE alias = ?", (alias,)).fetchone()
    return SpeakerAlias.model_validate(dict(row)) if row else None


def set_alias(conn: sqlite3.Connection, alias: str, name: str, author: str | None) -> None:
    """`alias` stands for `name`; aliases that stood for `alias` now stand for `name` too (no
    chains), and `name` itself is no one's alias any more (no cycles)."""
    # (Keys ignore case: "DANA COLE" -> "Dana Cole" stays, it spells the name itself.)
    conn.execute(
        "DELETE FROM speaker_aliases WHERE alias = ? AND name != ? COLLATE BINARY", (name, name)
    )
    conn.execute("UPDATE speaker_aliases SET name = ? WHERE name = ? COLLATE NOCASE", (name, alias))
    conn.execute(
        "INSERT INTO speaker_aliases (alias, name, author, created_at) VALUES (?,?,?,?)"
        " ON CONFLICT(alias) DO UPDATE SET name = excluded.name, author = excluded.author,"
        " created_at = excluded.created_at",
        (alias, name, author, utcnow()),
    )


def aliases_touched(conn: sqlite3.Connection, alias: str, name: str) -> list[dict]:
    """The alias rows `set_alias(alias, name)` may change, as they are (kept for undo)."""
    rows = conn.execute(
        "SELECT * FROM speaker_aliases WHERE alias IN (?, ?) OR name = ? COLLATE NOCASE",
        (alias, name, alias),
    ).fetchall()
    return [dict(r) for r in rows]


def restore_aliases(conn: sqlite3.Connection, alias: str, name: str, rows: list[dict]) -> None:
    """Put the aliases a `set_alias(alias, name)` changed back as `rows` had them."""
    for key in {alias, name, *(r["alias"] for r in rows)}:
        conn.execute("DELETE FROM speaker_aliases WHERE alias = ?", (key,))
    conn.executemany(
        "INSERT INTO speaker_aliases (alias, name, author, created_at) VALUES (?,?,?,?)",
        [(r["alias"], r["name"], r["author"], r["created_at"]) for r in rows],
    )


def delete_alias(conn: sqlite3.Connection, alias: str) -> None:
    if conn.execute("DELETE FROM speaker_aliases WHERE alias = ?", (alias,)).rowcount == 0:
        raise NotFound(f"no alias {alias!r}")


def list_aliases(
    conn: sqlite3.Connection, limit: int = 1000, offset: int = 0
) -> tuple[list[SpeakerAlias], int]:
    total = conn.execute("SELECT COUNT(*) FROM speaker_aliases").fetchone()[0]
    rows = conn.execute(
        "SELECT * FROM speaker_aliases ORDER BY name, alias LIMIT ? OFFSET ?", (limit, offset)
    ).fetchall()
    return [SpeakerAlias.model_validate(dict(r)) for r in rows], int(total)


def alias_map(conn: sqlite3.Connection) -> dict[str, str]:
    return {r[0]: r[1] for r in conn.execute("SELECT alias, name FROM speaker_aliases")}


def meetings_with_speaker(conn: sqlite3.Connection, label: str, but_not: str) -> list[int]:
    """Meetings where `label` (any case) speaks in turns not already named `but_not`."""
    rows = conn.execute(
        "SELECT DISTINCT meeting_id FROM turns WHERE speaker = ? COLLATE NOCASE"
        " AND speaker != ? ORDER BY 1",
        (label, but_not),
    ).fetchall()
    return [r[0] for r in rows]
