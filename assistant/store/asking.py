"""Read-only queries that asking needs: corpus statistics (how common a word is across chunks)
and what later meetings changed (superseded links, tracker changes in a time span)."""

from __future__ import annotations

import sqlite3
from datetime import date


def document_frequency(conn: sqlite3.Connection, terms: list[str]) -> tuple[dict[str, int], int]:
    """For each term, the number of chunks containing it (prefix match); and the chunk total."""
    total = int(conn.execute("SELECT COUNT(*) FROM chunks").fetchone()[0])
    out = {}
    for term in terms:
        cleaned = "".join(ch for ch in term if ch.isalnum())
        if not cleaned:
            out[term] = 0
            continue
        row = conn.execute(
            "SELECT COUNT(*) FROM chunks_fts WHERE chunks_fts MATCH ?", (f'"{cleaned}"*',)
        ).fetchone()
        out[term] = int(row[0])
    return out, total


def item_owners(conn: sqlite3.Connection) -> list[str]:
    """Everyone who owns an item (owners need not have spoken: "Elena" may own an action)."""
    rows = conn.execute("SELECT DISTINCT owner FROM items WHERE owner IS NOT NULL AND owner != ''")
    return [r[0] for r in rows]


def replaced_by(conn: sqlite3.Connection, item_id: int) -> list[int]:
    """Ids of the items the tracker marked superseded (or resolved) by `item_id`, oldest first."""
    rows = conn.execute(
        "SELECT id FROM items WHERE related_item_id = ? AND status IN ('superseded', 'resolved')"
        " ORDER BY id",
        (item_id,),
    )
    return [r[0] for r in rows]


def tracker_changes(
    conn: sqlite3.Connection, since: date | None, until: date | None
) -> list[tuple[int, str, str | None, str | None, int]]:
    """What meetings between `since` and `until` did to earlier items: (item id, field, old
    value, new value, meeting id), in meeting order. Undone changes are left out."""
    clauses, params = ["e.source = 'tracker'", "e.undone = 0"], []
    if since is not None:
        clauses.append("m.date >= ?")
        params.append(since.isoformat())
    if until is not None:
        clauses.append("m.date <= ?")
        params.append(until.isoformat())
    rows = conn.execute(
        "SELECT e.item_id, e.field, e.old_value, e.new_value, e.meeting_id FROM item_edits e"
        f" JOIN meetings m ON m.id = e.meeting_id WHERE {' AND '.join(clauses)}"
        " ORDER BY m.date, e.meeting_id, e.id",
        params,
    )
    return [(r[0], r[1], r[2], r[3], r[4]) for r in rows]


def last_tracker_change(conn: sqlite3.Connection, item_id: int, field: str) -> sqlite3.Row | None:
    """The latest change a meeting made to one field of an item (meeting id, new value,
    evidence JSON), or None."""
    return conn.execute(
        "SELECT meeting_id, new_value, evidence FROM item_edits WHERE item_id = ? AND field = ?"
        " AND source = 'tracker' AND undone = 0 AND meeting_id IS NOT NULL ORDER BY id DESC"
        " LIMIT 1",
        (item_id, field),
    ).fetchone()
