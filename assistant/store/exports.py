"""Queries the exports and webhooks need on items: what changed them, and how often."""

from __future__ import annotations

import sqlite3


def edit_counts(conn: sqlite3.Connection) -> dict[int, int]:
    """How many recorded changes each item has had (an ICS event's SEQUENCE)."""
    rows = conn.execute("SELECT item_id, COUNT(*) FROM item_edits GROUP BY item_id").fetchall()
    return {int(r[0]): int(r[1]) for r in rows}


def tracker_changes(conn: sqlite3.Connection, meeting_id: int) -> list[sqlite3.Row]:
    """What the tracker changed on earlier meetings' items because of this meeting's words."""
    return conn.execute(
        "SELECT e.* FROM item_edits e JOIN items i ON i.id = e.item_id"
        " WHERE e.meeting_id = ? AND e.source = 'tracker' AND i.meeting_id != ? ORDER BY e.id",
        (meeting_id, meeting_id),
    ).fetchall()


def last_batch(conn: sqlite3.Connection, item_id: int) -> list[sqlite3.Row]:
    """The field changes of an item's most recent change (one batch), in order."""
    row = conn.execute(
        "SELECT batch FROM item_edits WHERE item_id = ? ORDER BY id DESC LIMIT 1", (item_id,)
    ).fetchone()
    if row is None:
        return []
    return conn.execute(
        "SELECT * FROM item_edits WHERE item_id = ? AND batch = ? ORDER BY id", (item_id, row[0])
    ).fetchall()
