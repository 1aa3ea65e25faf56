"""Queries on extracted items and on people's corrections to them (kept, and undoable)."""

from __future__ import annotations

import json
import sqlite3
import uuid
from datetime import date

import numpy as np
from pydantic import BaseModel

from assistant.errors import ItemNotFound
from assistant.models import (
    DEFAULT_STATUS,
    DraftItem,
    Evidence,
    Item,
    ItemEvent,
    ItemKind,
    Team,
)
from assistant.store.db import first_name_pattern, next_id, utcnow

EDITABLE = ("text", "owner", "team", "due", "goal_id", "status")


class ItemFilters(BaseModel):
    meeting_id: int | None = None
    kind: ItemKind | None = None
    status: str | None = None
    goal_id: str | None = None
    owner: str | None = None
    team: Team | None = None
    overdue_on: date | None = None  # open actions with due < this date
    since: date | None = None  # meeting date
    until: date | None = None


def _item(row: sqlite3.Row) -> Item:
    data = dict(row)
    data.pop("vector", None)
    data.pop("meeting_date", None)
    for key in ("evidence", "status_evidence", "edited_fields"):
        data[key] = json.loads(data[key])
    return Item.model_validate(data)


def _evidence_json(evidence: list[Evidence]) -> str:
    return json.dumps([e.model_dump(mode="json") for e in evidence])


def insert_item(
    conn: sqlite3.Connection,
    meeting_id: int,
    draft: DraftItem,
    extractor: str,
    vector: np.ndarray | None = None,
) -> int:
    now = utcnow()
    evidence = [e.model_copy(update={"meeting_id": meeting_id}) for e in draft.evidence]
    item_id = next_id(conn, "items")
    conn.execute(
        "INSERT INTO items (id, meeting_id, kind, text, owner, team, due, due_phrase, goal_id,"
        " status, confidence, extractor, evidence, vector, created_at, updated_at)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (
            item_id,
            meeting_id,
            draft.kind.value,
            draft.text,
            draft.owner,
            draft.team.value,
            draft.due.isoformat() if draft.due else None,
            draft.due_phrase,
            draft.goal_id,
            DEFAULT_STATUS[draft.kind],
            draft.confidence,
            extractor,
            _evidence_json(evidence),
            None if vector is None else np.asarray(vector, dtype=np.float32).tobytes(),
            now,
            now,
        ),
    )
    return item_id


def get_item(conn: sqlite3.Connection, item_id: int) -> Item:
    row = conn.execute("SELECT * FROM items WHERE id = ?", (item_id,)).fetchone()
    if row is None:
        raise ItemNotFound(item_id)
    return _item(row)


def list_items(
    conn: sqlite3.Connection, filters: ItemFilters, limit: int = 200, offset: int = 0
) -> tuple[list[Item], int]:
    clauses, params = [], []
    for column in ("meeting_id", "kind", "status", "goal_id", "team"):
        value = getattr(filters, column)
        if value is not None:
            clauses.append(f"i.{column} = ?")
            params.append(value.value if hasattr(value, "value") else value)
    if filters.owner:
        clauses.append("(i.owner = ? COLLATE NOCASE OR i.owner LIKE ? ESCAPE '\\')")
        params += [filters.owner, first_name_pattern(filters.owner)]
    if filters.overdue_on is not None:
        clauses.append(
            "i.kind = 'action' AND i.status = 'open' AND i.due IS NOT NULL AND i.due < ?"
        )
        params.append(filters.overdue_on.isoformat())
    if filters.since is not None:
        clauses.append("m.date >= ?")
        params.append(filters.since.isoformat())
    if filters.until is not None:
        clauses.append("m.date <= ?")
        params.append(filters.until.isoformat())
    where = " AND ".join(clauses) or "1"
    base = f"FROM items i JOIN meetings m ON m.id = i.meeting_id WHERE {where}"
    total = conn.execute(f"SELECT COUNT(*) {base}", params).fetchone()[0]
    rows = conn.execute(
        f"SELECT i.* {base} ORDER BY m.date DESC, i.meeting_id DESC, i.id LIMIT ? OFFSET ?",
        [*params, limit, offset],
    ).fetchall()
    return [_item(r) for r in rows], int(total)


def item_vectors(conn: sqlite3.Connection, kind: ItemKind) -> list[tuple[Item, np.ndarray]]:
    rows = conn.execute(
        "SELECT * FROM items WHERE kind = ? AND vector IS NOT NULL ORDER BY id", (kind.value,)
    ).fetchall()
    return [(_item(r), np.frombuffer(r["vector"], dtype=np.float32)) for r in rows]


def meeting_date_of(conn: sqlite3.Connection, item: Item) -> date:
    row = conn.execute("SELECT date FROM meetings WHERE id = ?", (item.meeting_id,)).fetchone()
    return date.fromisoformat(row[0])


def _encode(field: str, value) -> str | None:
    if value is None:
        return None
    if hasattr(value, "value"):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def set_fields(
    conn: sqlite3.Connection,
    item_id: int,
    changes: dict,
    *,
    author: str | None,
    source: str = "person",
    meeting_id: int | None = None,
    evidence: list[Evidence] | None = None,
) -> Item:
    """Change fields of an item, recording each change. Changes by a person mark the field as
    edited, so that a re-extraction keeps it; changes by the tracker do not, and record the
    meeting and words that caused them."""
    item = get_item(conn, item_id)
    edited = list(item.edited_fields)
    now = utcnow()
    batch = uuid.uuid4().hex
    for field, value in changes.items():
        if field not in EDITABLE:
            raise ValueError(f"field {field!r} cannot be edited")
        old = _encode(field, getattr(item, field))
        new = _encode(field, value)
        if old == new:
            continue
        conn.execute(
            f"UPDATE items SET {field} = ?, updated_at = ? WHERE id = ?", (new, now, item_id)
        )
        conn.execute(
            "INSERT INTO item_edits (item_id, field, old_value, new_value, author, source,"
            " created_at, batch, meeting_id, evidence) VALUES (?,?,?,?,?,?,?,?,?,?)",
            (
                item_id,
                field,
                old,
                new,
                author,
                source,
                now,
                batch,
                meeting_id,
                _evidence_json(evidence or []),
            ),
        )
        if source == "person" and field not in edited:
            edited.append(field)
    conn.execute("UPDATE items SET edited_fields = ? WHERE id = ?", (json.dumps(edited), item_id))
    return get_item(conn, item_id)


def history(conn: sqlite3.Connection, item_id: int) -> list[ItemEvent]:
    """Every change of an item, oldest first: corrections by people and what later meetings
    said (with their words)."""
    get_item(conn, item_id)  # ItemNotFound for an unknown id
    rows = conn.execute(
        "SELECT * FROM item_edits WHERE item_id = ? ORDER BY id", (item_id,)
    ).fetchall()
    return [
        ItemEvent(
            field=r["field"],
            old_value=r["old_value"],
            new_value=r["new_value"],
            author=r["author"],
            source=r["source"],
            undone=bool(r["undone"]),
            meeting_id=r["meeting_id"],
            evidence=json.loads(r["evidence"] or "[]"),
            created_at=r["created_at"],
            proposal_id=r["proposal_id"],
        )
        for r in rows
    ]


def last_correction(conn: sqlite3.Connection, item_id: int) -> list[sqlite3.Row]:
    """The field changes of the most recent correction a person made (not yet undone)."""
    row = conn.execute(
        "SELECT batch FROM item_edits WHERE item_id = ? AND source = 'person' AND undone = 0"
        " ORDER BY id DESC LIMIT 1",
        (item_id,),
    ).fetchone()
    if row is None:
        return []
    return conn.execute(
        "SELECT * FROM item_edits WHERE item_id = ? AND batch = ? ORDER BY id DESC",
        (item_id, row[0]),
    ).fetchall()


def undo_correction(conn: sqlite3.Connection, edits: list[sqlite3.Row]) -> None:
    """Put back the old values of one correction; a field no longer corrected by anyone
    returns to machine-made (a re-extraction may then change it again)."""
    for edit in edits:
        field = edit["field"]
        conn.execute(
            f"UPDATE items SET {field} = ?, updated_at = ? WHERE id = ?",
            (edit["old_value"], utcnow(), edit["item_id"]),
        )
        conn.execute("UPDATE item_edits SET undone = 1 WHERE id = ?", (edit["id"],))
        still_edited = conn.execute(
            "SELECT 1 FROM item_edits WHERE item_id = ? AND field = ? AND source = 'person'"
            " AND undone = 0",
            (edit["item_id"], field),
        ).fetchone()
        if not still_edited:
            item = get_item(conn, edit["item_id"])
            fields = [f for f in item.edited_fields if f != field]
            conn.execute(
                "UPDATE items SET edited_fields = ? WHERE id = ?", (json.dumps(fields), item.id)
            )


def link(
    conn: sqlite3.Connection,
    item_id: int,
    *,
    status: str,
    related_item_id: int | None,
    evidence: list[Evidence],
) -> None:
    """Tracker update: new status with the evidence that caused it (not a person's edit)."""
    set_fields(
        conn,
        item_id,
        {"status": status},
        author=None,
        source="tracker",
        meeting_id=evidence[0].meeting_id if evidence else None,
        evidence=evidence,
    )
    conn.execute(
        "UPDATE items SET related_item_id = ?, status_evidence = ? WHERE id = ?",
        (related_item_id, _evidence_json(evidence), item_id),
    )


def _lead(item: DraftItem) -> tuple[ItemKind, int]:
    """What identifies an item across extractions: its kind and the turn that says it (the first
    evidence; the others are supporting turns that neighbouring items may share)."""
    return item.kind, item.evidence[0].turn_index


def replace_machine_items(
    conn: sqlite3.Connection,
    meeting_id: int,
    drafts: list[tuple[DraftItem, np.ndarray | None]],
    extractor: str,
) -> None:
    """Store a re-extraction of a meeting. A draft said in the same turn as an item a person
    corrected is dropped (the correction wins); one said in the same turn as a machine-made item
    updates that item in place, so its id, the status later meetings gave it (done, resolved,
    superseded) and the links to it survive; the machine-made items no draft matches go."""
    rows = conn.execute("SELECT * FROM items WHERE meeting_id = ?", (meeting_id,)).fetchall()
    current = [_item(r) for r in rows]
    corrected = {_lead(i) for i in current if i.edited_fields}
    machine = {_lead(i): i for i in current if not i.edited_fields}
    kept: set[int] = set()
    now = utcnow()
    for draft, vector in drafts:
        key = _lead(draft)
        if key in corrected:
            continue
        old = machine.get(key)
        if old is None or old.id in kept:
            insert_item(conn, meeting_id, draft, extractor, vector)
            continue
        kept.add(old.id)
        evidence = [e.model_copy(update={"meeting_id": meeting_id}) for e in draft.evidence]
        conn.execute(
            "UPDATE items SET text = ?, owner = ?, team = ?, due = ?, due_phrase = ?, goal_id = ?,"
            " confidence = ?, extractor = ?, evidence = ?, vector = ?, updated_at = ? WHERE id = ?",
            (
                draft.text,
                draft.owner,
                draft.team.value,
                draft.due.isoformat() if draft.due else None,
                draft.due_phrase,
                draft.goal_id,
                draft.confidence,
                extractor,
                _evidence_json(evidence),
                None if vector is None else np.asarray(vector, dtype=np.float32).tobytes(),
                now,
                old.id,
            ),
        )
    gone = [i.id for i in machine.values() if i.id not in kept]
    conn.executemany("DELETE FROM items WHERE id = ?", [(i,) for i in gone])


def release_statuses_from(conn: sqlite3.Connection, meeting_id: int) -> int:
    """Before a meeting is deleted: items of other meetings whose status or due date came from
    its words (done, revisited, resolved, superseded; a date moved) go back to where they
    stood without it."""
    rows = conn.execute(
        "SELECT id, kind, status_evidence FROM items WHERE meeting_id != ?"
        " AND status_evidence != '[]' AND edited_fields NOT LIKE '%\"status\"%'",
        (meeting_id,),
    ).fetchall()
    released = 0
    for row in rows:
        cited = {e.get("meeting_id") for e in json.loads(row["status_evidence"])}
        if meeting_id not in cited:
            continue
        default = DEFAULT_STATUS[ItemKind(row["kind"])]
        set_fields(conn, row["id"], {"status": default}, author=None, source="tracker")
        conn.execute(
            "UPDATE items SET related_item_id = NULL, status_evidence = '[]' WHERE id = ?",
            (row["id"],),
        )
        released += 1
    moved = conn.execute(
        "SELECT e.item_id, e.old_value, e.new_value FROM item_edits e JOIN items i"
        " ON i.id = e.item_id WHERE e.meeting_id = ? AND e.source = 'tracker'"
        " AND e.field = 'due' AND e.undone = 0 AND i.meeting_id != ?"
        " AND i.edited_fields NOT LIKE '%\"due\"%' ORDER BY e.id DESC",
        (meeting_id, meeting_id),
    ).fetchall()
    for row in moved:
        item = get_item(conn, row["item_id"])
        if _encode("due", item.due) == row["new_value"]:
            old = date.fromisoformat(row["old_value"]) if row["old_value"] else None
            set_fields(conn, item.id, {"due": old}, author=None, source="tracker")
            released += 1
    return released
