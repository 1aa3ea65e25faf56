"""Speaker names: renames of a meeting's speakers (each undoable as a whole) and aliases, so that
one person written two ways ("DANA COLE", "Dana C.") is one person across meetings.

A rename keeps what it changed besides the items' fields (those go to `item_edits`, with the
rename's batch, so they show in each item's history): the turns it renamed, the meeting's
attendees, the chunks' text and speakers, the evidence quoted on items, and the alias it set.
"""

import sqlite3

from assistant.store.migrations import execute_script


def up(conn: sqlite3.Connection) -> None:
    execute_script(
        conn,
        """
        CREATE TABLE speaker_renames (
            id INTEGER PRIMARY KEY,
            meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
            old_name TEXT,
            new_name TEXT NOT NULL,
            turns TEXT NOT NULL DEFAULT '[]',
            before TEXT NOT NULL DEFAULT '{}',
            batch TEXT NOT NULL,
            author TEXT,
            undone INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL
        );
        CREATE INDEX speaker_renames_meeting ON speaker_renames(meeting_id, id);

        CREATE TABLE speaker_aliases (
            alias TEXT PRIMARY KEY COLLATE NOCASE,
            name TEXT NOT NULL,
            author TEXT,
            created_at TEXT NOT NULL
        );
        """,
    )
