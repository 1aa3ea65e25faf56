"""Queries on webhook endpoints and their outbox of deliveries (the delivery log)."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime

from assistant.errors import NotFound
from assistant.store.db import utcnow
from assistant.store.digests import ts


class EndpointNotFound(NotFound):
    def __init__(self, endpoint_id: int):
        super().__init__(f"webhook endpoint {endpoint_id} not found")


# ------------------------------------------------------------------ endpoints


def insert_endpoint(
    conn: sqlite3.Connection, url: str, fmt: str, events: list[str], secret: str, label: str
) -> int:
    cur = conn.execute(
        "INSERT INTO webhook_endpoints (url, format, events, secret, label, created_at)"
        " VALUES (?,?,?,?,?,?)",
        (url, fmt, json.dumps(events), secret, label, utcnow()),
    )
    return int(cur.lastrowid or 0)


def get_endpoint(conn: sqlite3.Connection, endpoint_id: int) -> sqlite3.Row:
    row = conn.execute("SELECT * FROM webhook_endpoints WHERE id = ?", (endpoint_id,)).fetchone()
    if row is None:
        raise EndpointNotFound(endpoint_id)
    return row


def list_endpoints(conn: sqlite3.Connection, active_only: bool = False) -> list[sqlite3.Row]:
    where = "WHERE active = 1" if active_only else ""
    return conn.execute(f"SELECT * FROM webhook_endpoints {where} ORDER BY id").fetchall()


def update_endpoint(conn: sqlite3.Connection, endpoint_id: int, **fields) -> None:
    get_endpoint(conn, endpoint_id)
    for column, value in fields.items():
        if column == "events":
            value = json.dumps(value)
        conn.execute(
            f"UPDATE webhook_endpoints SET {column} = ? WHERE id = ?", (value, endpoint_id)
        )


def delete_endpoint(conn: sqlite3.Connection, endpoint_id: int) -> None:
    get_endpoint(conn, endpoint_id)
    conn.execute("DELETE FROM webhook_endpoints WHERE id = ?", (endpoint_id,))


# ------------------------------------------------------------------ the outbox


def enqueue(
    conn: sqlite3.Connection,
    endpoint_id: int,
    event_id: str,
    event: str,
    body: str,
    now: datetime,
    dedupe: str | None = None,
) -> int | None:
    """Queue one event for one endpoint; None when `dedupe` was already queued there."""
    cur = conn.execute(
        "INSERT OR IGNORE INTO webhook_deliveries (endpoint_id, event_id, event, body, status,"
        " next_attempt_at, dedupe, created_at, updated_at) VALUES (?,?,?,?,'pending',?,?,?,?)",
        (endpoint_id, event_id, event, body, ts(now), dedupe, ts(now), ts(now)),
    )
    return int(cur.lastrowid or 0) if cur.rowcount else None


def get_delivery(conn: sqlite3.Connection, delivery_id: int) -> sqlite3.Row:
    row = conn.execute("SELECT * FROM webhook_deliveries WHERE id = ?", (delivery_id,)).fetchone()
    if row is None:
        raise NotFound(f"webhook delivery {delivery_id} not found")
    return row


def due_ids(conn: sqlite3.Connection, now: datetime, lease_s: float) -> list[int]:
    """Rows to try now: pending or failed and due, or left 'sending' by a crashed worker (of
    active endpoints: a paused one keeps its rows until it is resumed)."""
    from datetime import timedelta

    stale = ts(now - timedelta(seconds=lease_s))
    rows = conn.execute(
        "SELECT id FROM webhook_deliveries WHERE"
        " endpoint_id IN (SELECT id FROM webhook_endpoints WHERE active = 1) AND"
        " ((status IN ('pending', 'failed') AND next_attempt_at IS NOT NULL"
        "  AND next_attempt_at <= ?)"
        " OR (status = 'sending' AND claimed_at <= ?)) ORDER BY id",
        (ts(now), stale),
    ).fetchall()
    return [r[0] for r in rows]


def claim(conn: sqlite3.Connection, delivery_id: int, now: datetime, lease_s: float) -> bool:
    """Mark a due row 'sending' (only one worker wins it)."""
    from datetime import timedelta

    stale = ts(now - timedelta(seconds=lease_s))
    cur = conn.execute(
        "UPDATE webhook_deliveries SET status = 'sending', claimed_at = ?, updated_at = ?"
        " WHERE id = ? AND ((status IN ('pending', 'failed') AND next_attempt_at IS NOT NULL"
        " AND next_attempt_at <= ?) OR (status = 'sending' AND claimed_at <= ?))",
        (ts(now), ts(now), delivery_id, ts(now), stale),
    )
    return cur.rowcount > 0


def mark_delivered(
    conn: sqlite3.Connection, delivery_id: int, status_code: int, now: datetime
) -> None:
    conn.execute(
        "UPDATE webhook_deliveries SET status = 'delivered', attempts = attempts + 1,"
        " last_status = ?, last_error = NULL, next_attempt_at = NULL, delivered_at = ?,"
        " updated_at = ? WHERE id = ?",
        (status_code, ts(now), ts(now), delivery_id),
    )


def mark_failed(
    conn: sqlite3.Connection,
    delivery_id: int,
    status_code: int | None,
    error: str,
    retry_at: datetime | None,
    now: datetime,
) -> None:
    """A failed attempt; `retry_at` None means retries are exhausted (failed for good)."""
    conn.execute(
        "UPDATE webhook_deliveries SET status = 'failed', attempts = attempts + 1,"
        " last_status = ?, last_error = ?, next_attempt_at = ?, updated_at = ? WHERE id = ?",
        (status_code, error[:500], ts(retry_at) if retry_at else None, ts(now), delivery_id),
    )


def retry_now(conn: sqlite3.Connection, delivery_id: int, now: datetime) -> None:
    """A person asked: try a failed row again at once."""
    conn.execute(
        "UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = ?, updated_at = ?"
        " WHERE id = ? AND status IN ('failed', 'pending')",
        (ts(now), ts(now), delivery_id),
    )


def log(
    conn: sqlite3.Connection, endpoint_id: int, limit: int = 50, offset: int = 0
) -> tuple[list[sqlite3.Row], int]:
    """An endpoint's deliveries, newest first."""
    get_endpoint(conn, endpoint_id)
    total = conn.execute(
        "SELECT COUNT(*) FROM webhook_deliveries WHERE endpoint_id = ?", (endpoint_id,)
    ).fetchone()[0]
    rows = conn.execute(
        "SELECT * FROM webhook_deliveries WHERE endpoint_id = ? ORDER BY id DESC LIMIT ? OFFSET ?",
        (endpoint_id, limit, offset),
    ).fetchall()
    return rows, int(total)


def sent_digests_since(conn: sqlite3.Connection, since: str) -> list[sqlite3.Row]:
    """Digests the ledger marked sent at or after `since` (for the digest.sent event)."""
    return conn.execute(
        "SELECT id, week, recipient_name, role, channel, subject, markdown, sent_at"
        " FROM digest_deliveries WHERE status = 'sent' AND sent_at >= ? ORDER BY id",
        (since,),
    ).fetchall()
