"""Queries for weekly digests: recipients, the delivery ledger, and the few facts the composer
needs that the item queries do not give (when an action was done, what a decision superseded).

The ledger has one row per (week, recipient). A sender *claims* a row with one conditional UPDATE,
so two processes (or a process and its restart) can never both hold it; see `claim`.
"""

from __future__ import annotations

import secrets
import sqlite3
from collections import Counter
from datetime import UTC, date, datetime, timedelta

from assistant.digest.types import DeliveryRecord, Recipient, RecipientIn
from assistant.errors import Conflict, NotFound


def ts(moment: datetime) -> str:
    """A UTC timestamp in the one shape stored, so that text order is time order."""
    if moment.tzinfo is None:
        raise ValueError("timestamps must be timezone-aware")
    return moment.astimezone(UTC).isoformat(timespec="seconds")


# ----------------------------------------------------------------- recipients


def _recipient(row: sqlite3.Row) -> Recipient:
    data = dict(row)
    data.pop("created_at", None)
    data["active"] = bool(data["active"])
    return Recipient.model_validate(data)


def add_recipient(conn: sqlite3.Connection, recipient: RecipientIn, now: datetime) -> Recipient:
    if conn.execute(
        "SELECT 1 FROM recipients WHERE email = ? COLLATE NOCASE", (recipient.email,)
    ).fetchone():
        raise Conflict(f"a recipient with email {recipient.email} already exists")
    cur = conn.execute(
        "INSERT INTO recipients (name, email, role, timezone, channel, webhook_url, active,"
        " created_at) VALUES (?,?,?,?,?,?,?,?)",
        (
            recipient.name,
            recipient.email,
            recipient.role,
            recipient.timezone,
            recipient.channel,
            recipient.webhook_url,
            int(recipient.active),
            ts(now),
        ),
    )
    return get_recipient(conn, int(cur.lastrowid or 0))


def update_recipient(conn: sqlite3.Connection, recipient_id: int, data: RecipientIn) -> Recipient:
    get_recipient(conn, recipient_id)
    conn.execute(
        "UPDATE recipients SET name = ?, email = ?, role = ?, timezone = ?, channel = ?,"
        " webhook_url = ?, active = ? WHERE id = ?",
        (
            data.name,
            data.email,
            data.role,
            data.timezone,
            data.channel,
            data.webhook_url,
            int(data.active),
            recipient_id,
        ),
    )
    return get_recipient(conn, recipient_id)


def get_recipient(conn: sqlite3.Connection, recipient_id: int) -> Recipient:
    row = conn.execute("SELECT * FROM recipients WHERE id = ?", (recipient_id,)).fetchone()
    if row is None:
        raise NotFound(f"recipient {recipient_id} not found")
    return _recipient(row)


def find_recipient(conn: sqlite3.Connection, email: str) -> Recipient | None:
    row = conn.execute(
        "SELECT * FROM recipients WHERE email = ? COLLATE NOCASE", (email,)
    ).fetchone()
    return _recipient(row) if row else None


def list_recipients(conn: sqlite3.Connection, active_only: bool = False) -> list[Recipient]:
    where = "WHERE active = 1" if active_only else ""
    rows = conn.execute(f"SELECT * FROM recipients {where} ORDER BY id").fetchall()
    return [_recipient(r) for r in rows]


def delete_recipient(conn: sqlite3.Connection, recipient_id: int) -> Recipient:
    """Remove a recipient. Their delivery history stays (it keeps a copy of name and email)."""
    recipient = get_recipient(conn, recipient_id)
    conn.execute("DELETE FROM recipients WHERE id = ?", (recipient_id,))
    return recipient


# ----------------------------------------------------------------- ledger

_RECORD_COLUMNS = (
    "id, week, recipient_id, recipient_name, recipient_email, role, channel, status, attempts,"
    " last_error, next_attempt_at, sent_at, created_at, updated_at, subject"
)


def _record(row: sqlite3.Row) -> DeliveryRecord:
    return DeliveryRecord.model_validate(dict(row))


def ensure_delivery(
    conn: sqlite3.Connection, week: str, recipient: Recipient, now: datetime
) -> DeliveryRecord:
    """The ledger row of (week, recipient), created `pending` and due now if it is new."""
    conn.execute(
        "INSERT INTO digest_deliveries (week, recipient_id, recipient_name, recipient_email, role,"
        " channel, status, next_attempt_at, created_at, updated_at)"
        " VALUES (?,?,?,?,?,?,'pending',?,?,?) ON CONFLICT (week, recipient_id) DO NOTHING",
        (
            week,
            recipient.id,
            recipient.name,
            recipient.email,
            recipient.role,
            recipient.channel,
            ts(now),
            ts(now),
            ts(now),
        ),
    )
    row = conn.execute(
        f"SELECT {_RECORD_COLUMNS} FROM digest_deliveries WHERE week = ? AND recipient_id = ?",
        (week, recipient.id),
    ).fetchone()
    return _record(row)


def get_delivery(conn: sqlite3.Connection, delivery_id: int) -> DeliveryRecord:
    row = conn.execute(
        f"SELECT {_RECORD_COLUMNS} FROM digest_deliveries WHERE id = ?", (delivery_id,)
    ).fetchone()
    if row is None:
        raise NotFound(f"delivery {delivery_id} not found")
    return _record(row)


def retry_now(conn: sqlite3.Connection, delivery_id: int, now: datetime) -> None:
    """A person asked to send: a failed row (even one that gave up) becomes due now."""
    conn.execute(
        "UPDATE digest_deliveries SET next_attempt_at = ?, updated_at = ?"
        " WHERE id = ? AND status IN ('pending', 'failed')",
        (ts(now), ts(now), delivery_id),
    )


def claim(
    conn: sqlite3.Connection, delivery_id: int, now: datetime, lease: timedelta
) -> str | None:
    """Take the row for sending; return a claim token, or None if it is not ours to send.

    One UPDATE decides, so it is atomic across processes: a row is claimable when it is pending
    or failed and due, or when it has been `sending` for longer than the lease (its sender died).
    """
    token = secrets.token_hex(8)
    cur = conn.execute(
        "UPDATE digest_deliveries SET status = 'sending', claimed_at = ?, claim_token = ?,"
        " attempts = attempts + 1, updated_at = ?"
        " WHERE id = ? AND ("
        "  (status IN ('pending', 'failed') AND next_attempt_at IS NOT NULL"
        "   AND next_attempt_at <= ?)"
        "  OR (status = 'sending' AND claimed_at <= ?))",
        (ts(now), token, ts(now), delivery_id, ts(now), ts(now - lease)),
    )
    return token if cur.rowcount == 1 else None


def due_ids(conn: sqlite3.Connection, now: datetime, lease: timedelta) -> list[int]:
    """Rows a sender should try now: due pending/failed ones, and sends abandoned by a crash."""
    rows = conn.execute(
        "SELECT id FROM digest_deliveries WHERE"
        " (status IN ('pending', 'failed') AND next_attempt_at IS NOT NULL"
        "  AND next_attempt_at <= ?)"
        " OR (status = 'sending' AND claimed_at <= ?) ORDER BY id",
        (ts(now), ts(now - lease)),
    ).fetchall()
    return [r[0] for r in rows]


def content(conn: sqlite3.Connection, delivery_id: int) -> dict | None:
    row = conn.execute(
        "SELECT subject, markdown, html, text FROM digest_deliveries WHERE id = ?",
        (delivery_id,),
    ).fetchone()
    if row is None or row["markdown"] is None:
        return None
    return dict(row)


def store_content(conn: sqlite3.Connection, delivery_id: int, token: str, rendered: dict) -> None:
    """Keep what is sent, once: a retry sends the very same bytes as the first attempt."""
    conn.execute(
        "UPDATE digest_deliveries SET subject = ?, markdown = ?, html = ?, text = ?"
        " WHERE id = ? AND claim_token = ? AND markdown IS NULL",
        (
            rendered["subject"],
            rendered["markdown"],
            rendered["html"],
            rendered["text"],
            delivery_id,
            token,
        ),
    )


def mark_sent(conn: sqlite3.Connection, delivery_id: int, token: str, now: datetime) -> None:
    conn.execute(
        "UPDATE digest_deliveries SET status = 'sent', sent_at = ?, next_attempt_at = NULL,"
        " last_error = NULL, updated_at = ? WHERE id = ? AND claim_token = ?",
        (ts(now), ts(now), delivery_id, token),
    )


def mark_failed(
    conn: sqlite3.Connection,
    delivery_id: int,
    token: str,
    error: str,
    next_attempt: datetime | None,
    now: datetime,
) -> None:
    """Record a failure; `next_attempt` None means retries are exhausted (failed for good)."""
    conn.execute(
        "UPDATE digest_deliveries SET status = 'failed', last_error = ?, next_attempt_at = ?,"
        " updated_at = ? WHERE id = ? AND claim_token = ?",
        (error, ts(next_attempt) if next_attempt else None, ts(now), delivery_id, token),
    )


def history(
    conn: sqlite3.Connection, limit: int = 50, offset: int = 0
) -> tuple[list[DeliveryRecord], int]:
    total = conn.execute("SELECT COUNT(*) FROM digest_deliveries").fetchone()[0]
    rows = conn.execute(
        f"SELECT {_RECORD_COLUMNS} FROM digest_deliveries ORDER BY week DESC, id DESC"
        " LIMIT ? OFFSET ?",
        (limit, offset),
    ).fetchall()
    return [_record(r) for r in rows], int(total)


# ----------------------------------------------------------------- facts for the composer


def done_between(conn: sqlite3.Connection, start: date, end: date) -> set[int]:
    """Ids of actions marked done in [start, end]: reported done in a meeting of those days, or
    set done by a person on one of those days (UTC date of the correction)."""
    found = {
        r[0]
        for r in conn.execute(
            "SELECT i.id FROM items i, json_each(i.status_evidence) e"
            " JOIN meetings m ON m.id = json_extract(e.value, '$.meeting_id')"
            " WHERE i.kind = 'action' AND i.status = 'done' AND m.date BETWEEN ? AND ?",
            (start.isoformat(), end.isoformat()),
        )
    }
    found |= {
        r[0]
        for r in conn.execute(
            "SELECT i.id FROM items i JOIN item_edits e ON e.item_id = i.id"
            " WHERE i.kind = 'action' AND i.status = 'done' AND e.field = 'status'"
            " AND e.new_value = 'done' AND e.source = 'person' AND e.undone = 0"
            " AND substr(e.created_at, 1, 10) BETWEEN ? AND ?",
            (start.isoformat(), end.isoformat()),
        )
    }
    return found


def superseded_by(conn: sqlite3.Connection, decision_ids: list[int]) -> dict[int, list[int]]:
    """For each decision id, the earlier decisions it superseded."""
    out: dict[int, list[int]] = {}
    if not decision_ids:
        return out
    marks = ",".join("?" * len(decision_ids))
    for row in conn.execute(
        f"SELECT id, related_item_id FROM items WHERE kind = 'decision'"
        f" AND status = 'superseded' AND related_item_id IN ({marks}) ORDER BY id",
        decision_ids,
    ):
        out.setdefault(row[1], []).append(row[0])
    return out


def meeting_dates(conn: sqlite3.Connection) -> dict[int, tuple[str, date]]:
    """Every meeting's (title, date), for labelling lines."""
    return {
        r[0]: (r[1], date.fromisoformat(r[2]))
        for r in conn.execute("SELECT id, title, date FROM meetings")
    }


def owner_sides(conn: sqlite3.Connection) -> dict[str, str]:
    """Each person's side (IT or Marketing): the team of most of the items they own."""
    counts: dict[str, Counter] = {}
    for owner, team in conn.execute(
        "SELECT owner, team FROM items WHERE owner IS NOT NULL AND team IN ('IT', 'Marketing')"
    ):
        counts.setdefault(owner.strip().lower(), Counter())[team] += 1
    return {name: c.most_common(1)[0][0] for name, c in counts.items()}
