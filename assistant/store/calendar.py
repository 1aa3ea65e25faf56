"""Queries on calendar feeds (secret ICS URLs) and imported calendar events."""

from __future__ import annotations

import json
import sqlite3
from datetime import date

from assistant.errors import MeetingNotFound
from assistant.models import Meeting, MeetingKind
from assistant.store.db import utcnow
from assistant.store.meetings import get_meeting

# ------------------------------------------------------------------ feeds


def insert_feed(
    conn: sqlite3.Connection,
    user_id: int,
    token_hash: str,
    prefix: str,
    scope: str,
    value: str | None,
    label: str,
) -> int:
    cur = conn.execute(
        "INSERT INTO calendar_feeds (user_id, token_hash, prefix, scope, value, label,"
        " created_at) VALUES (?,?,?,?,?,?,?)",
        (user_id, token_hash, prefix, scope, value, label, utcnow()),
    )
    return int(cur.lastrowid or 0)


def feed_by_hash(conn: sqlite3.Connection, token_hash: str) -> sqlite3.Row | None:
    """A working feed by the sha256 of its secret, with its user's name (None if revoked)."""
    return conn.execute(
        "SELECT f.*, u.name AS user_name FROM calendar_feeds f JOIN users u ON u.id = f.user_id"
        " WHERE f.token_hash = ? AND f.revoked_at IS NULL",
        (token_hash,),
    ).fetchone()


def list_feeds(conn: sqlite3.Connection, user_id: int) -> list[sqlite3.Row]:
    return conn.execute(
        "SELECT f.*, u.name AS user_name FROM calendar_feeds f JOIN users u ON u.id = f.user_id"
        " WHERE f.user_id = ? AND f.revoked_at IS NULL ORDER BY f.id",
        (user_id,),
    ).fetchall()


def touch_feed(conn: sqlite3.Connection, feed_id: int) -> None:
    conn.execute("UPDATE calendar_feeds SET last_used_at = ? WHERE id = ?", (utcnow(), feed_id))


def revoke_feed(conn: sqlite3.Connection, feed_id: int, user_id: int) -> bool:
    cur = conn.execute(
        "UPDATE calendar_feeds SET revoked_at = ? WHERE id = ? AND user_id = ?"
        " AND revoked_at IS NULL",
        (utcnow(), feed_id, user_id),
    )
    return cur.rowcount > 0


# ------------------------------------------------------------------ imported events


def upsert_event(
    conn: sqlite3.Connection,
    *,
    uid: str,
    day: date,
    title: str,
    kind: MeetingKind,
    series: str | None,
    attendees: list[str],
    meeting_id: int | None,
) -> None:
    """One occurrence of a calendar event; importing the same calendar again updates it."""
    conn.execute(
        "INSERT INTO calendar_events (uid, day, title, kind, series, attendees, meeting_id,"
        " imported_at) VALUES (?,?,?,?,?,?,?,?) ON CONFLICT(uid, day) DO UPDATE SET"
        " title = excluded.title, kind = excluded.kind, series = excluded.series,"
        " attendees = excluded.attendees,"
        " meeting_id = COALESCE(excluded.meeting_id, calendar_events.meeting_id),"
        " imported_at = excluded.imported_at",
        (
            uid,
            day.isoformat(),
            title,
            kind.value,
            series,
            json.dumps(attendees),
            meeting_id,
            utcnow(),
        ),
    )


def list_events(
    conn: sqlite3.Connection, since: date | None = None, limit: int = 200, offset: int = 0
) -> tuple[list[sqlite3.Row], int]:
    where, params = ("day >= ?", [since.isoformat()]) if since else ("1", [])
    total = conn.execute(f"SELECT COUNT(*) FROM calendar_events WHERE {where}", params)
    rows = conn.execute(
        f"SELECT * FROM calendar_events WHERE {where} ORDER BY day, uid LIMIT ? OFFSET ?",
        [*params, limit, offset],
    ).fetchall()
    return rows, int(total.fetchone()[0])


def next_event_of_kind(
    conn: sqlite3.Connection, kind: MeetingKind, after: date
) -> sqlite3.Row | None:
    """The first imported calendar event of `kind` dated after `after`: the date "before the
    QBR" waits for when that QBR has not happened (so is not a stored meeting) yet."""
    return conn.execute(
        "SELECT * FROM calendar_events WHERE kind = ? AND day > ? ORDER BY day, uid LIMIT 1",
        (kind.value, after.isoformat()),
    ).fetchone()


def meetings_on(conn: sqlite3.Connection, day: date) -> list[Meeting]:
    rows = conn.execute(
        "SELECT id FROM meetings WHERE date = ? ORDER BY id", (day.isoformat(),)
    ).fetchall()
    return [get_meeting(conn, r[0]) for r in rows]


def set_meeting_details(
    conn: sqlite3.Connection,
    meeting_id: int,
    *,
    title: str | None = None,
    day: date | None = None,
    kind: MeetingKind | None = None,
    attendees: list[str] | None = None,
) -> Meeting:
    """Set a stored meeting's title, date, kind or attendees (from its calendar event)."""
    changes: dict[str, str] = {}
    if title:
        changes["title"] = title
    if day is not None:
        changes["date"] = day.isoformat()
    if kind is not None:
        changes["kind"] = kind.value
    if attendees is not None:
        changes["attendees"] = json.dumps(attendees)
    if changes:
        sets = ", ".join(f"{column} = ?" for column in changes)
        cur = conn.execute(
            f"UPDATE meetings SET {sets} WHERE id = ?", [*changes.values(), meeting_id]
        )
        if cur.rowcount == 0:
            raise MeetingNotFound(meeting_id)
    return get_meeting(conn, meeting_id)
