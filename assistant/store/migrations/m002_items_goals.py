"""Extracted items with their evidence, people's corrections (with undo history) and goals."""

import sqlite3

from assistant.store.migrations import execute_script


def up(conn: sqlite3.Connection) -> None:
    execute_script(
        conn,
        """
        CREATE TABLE goals (
            id TEXT PRIMARY KEY,
            title TEXT NOT NULL,
            description TEXT NOT NULL DEFAULT '',
            side TEXT NOT NULL DEFAULT 'Joint',
            kpis TEXT NOT NULL DEFAULT '[]',
            milestones TEXT NOT NULL DEFAULT '[]',
            vector BLOB,
            updated_at TEXT NOT NULL
        );

        CREATE TABLE items (
            id INTEGER PRIMARY KEY,
            meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
            kind TEXT NOT NULL CHECK (kind IN ('decision', 'action', 'parking')),
            text TEXT NOT NULL,
            owner TEXT,
            team TEXT NOT NULL DEFAULT 'unknown',
            due TEXT,
            goal_id TEXT REFERENCES goals(id) ON DELETE SET NULL,
            status TEXT NOT NULL,
            confidence REAL NOT NULL DEFAULT 0.5,
            extractor TEXT NOT NULL,
            evidence TEXT NOT NULL DEFAULT '[]',
            status_evidence TEXT NOT NULL DEFAULT '[]',
            related_item_id INTEGER REFERENCES items(id) ON DELETE SET NULL,
            edited_fields TEXT NOT NULL DEFAULT '[]',
            vector BLOB,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX items_meeting ON items(meeting_id);
        CREATE INDEX items_kind_status ON items(kind, status);

        CREATE TABLE item_edits (
            id INTEGER PRIMARY KEY,
            item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
            field TEXT NOT NULL,
            old_value TEXT,
            new_value TEXT,
            author TEXT,
            source TEXT NOT NULL DEFAULT 'person',
            undone INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL
        );
        CREATE INDEX item_edits_item ON item_edits(item_id);
        """,
    )
