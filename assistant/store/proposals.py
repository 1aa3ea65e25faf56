"""Queries on proposals: changes to items that wait for a member's approval, and the events
they leave in the item's history (`item_edits` rows with source "proposal" and "review")."""

from __future__ import annotations

import json
import sqlite3
import uuid

from assistant.errors import NotFound
from assistant.store.db import next_id, utcnow

STATUSES = ("pending", "approved", "rejected")


def insert(
    conn: sqlite3.Connection,
    item_id: int,
    changes: dict[str, str | None],
    before: dict[str, str | None],
    *,
    note: str,
    author: str,
    via: str,
) -> int:
    """Store a pending proposal and its events in the item's history (one per field)."""
    proposal_id = next_id(conn, "proposals")
    now = utcnow()
    conn.execute(
        "INSERT INTO proposals (id, item_id, changes, before, note, proposed_by, via, status,"
        " created_at) VALUES (?,?,?,?,?,?,?,'pending',?)",
        (proposal_id, item_id, json.dumps(changes), json.dumps(before), note, author, via, now),
    )
    batch = uuid.uuid4().hex
    for field, value in changes.items():
        _event(
            conn,
            item_id,
            field,
            before.get(field),
            value,
            author,
            "proposal",
            proposal_id,
            batch,
            now,
        )
    return proposal_id


def _event(
    conn: sqlite3.Connection,
    item_id: int,
    field: str,
    old: str | None,
    new: str | None,
    author: str,
    source: str,
    proposal_id: int,
    batch: str,
    now: str,
) -> None:
    conn.execute(
        "INSERT INTO item_edits (item_id, field, old_value, new_value, author, source,"
        " created_at, batch, proposal_id) VALUES (?,?,?,?,?,?,?,?,?)",
        (item_id, field, old, new, author, source, now, batch, proposal_id),
    )


def get(conn: sqlite3.Connection, proposal_id: int) -> sqlite3.Row:
    row = conn.execute("SELECT * FROM proposals WHERE id = ?", (proposal_id,)).fetchone()
    if row is None:
        raise NotFound(f"proposal {proposal_id} not found")
    return row


def find_pending(
    conn: sqlite3.Connection, item_id: int, changes: dict[str, str | None]
) -> int | None:
    """The id of a pending proposal for this item with exactly these changes, if any."""
    rows = conn.execute(
        "SELECT id, changes FROM proposals WHERE item_id = ? AND status = 'pending'", (item_id,)
    ).fetchall()
    for row in rows:
        if json.loads(row["changes"]) == changes:
            return int(row["id"])
    return None


def page(
    conn: sqlite3.Connection,
    *,
    status: str | None = None,
    item_id: int | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[sqlite3.Row], int]:
    """Newest first (ties cannot happen: ids are unique)."""
    clauses: list[str] = []
    params: list = []
    if status is not None:
        clauses.append("status = ?")
        params.append(status)
    if item_id is not None:
        clauses.append("item_id = ?")
        params.append(item_id)
    where = " AND ".join(clauses) or "1"
    total = conn.execute(f"SELECT COUNT(*) FROM proposals WHERE {where}", params).fetchone()[0]
    rows = conn.execute(
        f"SELECT * FROM proposals WHERE {where} ORDER BY id DESC LIMIT ? OFFSET ?",
        [*params, limit, offset],
    ).fetchall()
    return rows, int(total)


def last_edit_id(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT COALESCE(MAX(id), 0) FROM item_edits").fetchone()[0])


def decide(
    conn: sqlite3.Connection,
    proposal_id: int,
    status: str,
    *,
    by: str,
    reason: str,
    applied_after: int | None = None,
) -> None:
    """Record the decision on the proposal and in its item's history. `applied_after`: the
    corrections made since that item_edits id are the approved change (tagged with the
    proposal, so the history says which proposal they carried out)."""
    row = get(conn, proposal_id)
    now = utcnow()
    conn.execute(
        "UPDATE proposals SET status = ?, decided_by = ?, decided_at = ?, reason = ? WHERE id = ?",
        (status, by, now, reason, proposal_id),
    )
    if applied_after is not None:
        conn.execute(
            "UPDATE item_edits SET proposal_id = ? WHERE id > ? AND item_id = ?"
            " AND source = 'person'",
            (proposal_id, applied_after, row["item_id"]),
        )
    _event(
        conn,
        row["item_id"],
        "proposal",
        "pending",
        status,
        by,
        "review",
        proposal_id,
        uuid.uuid4().hex,
        now,
    )
