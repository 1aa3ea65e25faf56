"""Calendar: secret ICS feed URLs per user (revocable), and the events of imported calendars.

A feed keeps only the sha256 of its secret (like API tokens), so a copy of the database cannot
be used to read anyone's calendar. Imported events are kept one row per occurrence: past ones
point at the stored meeting they described, future ones wait for a later lookup ("before the
QBR" → the next QBR's date).
"""

import sqlite3

from assistant.store.migrations import execute_script


def up(conn: sqlite3.Connection) -> None:
    execute_script(
        conn,
        """
        CREATE TABLE calendar_feeds (
            id INTEGER PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            token_hash TEXT NOT NULL UNIQUE,
            prefix TEXT NOT NULL,
            scope TEXT NOT NULL CHECK (scope IN ('all', 'owner', 'team')),
            value TEXT,
            label TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            last_used_at TEXT,
            revoked_at TEXT
        );
        CREATE INDEX calendar_feeds_user ON calendar_feeds(user_id);

        CREATE TABLE calendar_events (
            uid TEXT NOT NULL,
            day TEXT NOT NULL,
            title TEXT NOT NULL,
            kind TEXT NOT NULL DEFAULT 'other',
            series TEXT,
            attendees TEXT NOT NULL DEFAULT '[]',
            meeting_id INTEGER REFERENCES meetings(id) ON DELETE SET NULL,
            imported_at TEXT NOT NULL,
            PRIMARY KEY (uid, day)
        );
        CREATE INDEX calendar_events_kind ON calendar_events(kind, day);
        """,
    )
