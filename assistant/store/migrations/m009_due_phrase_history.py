"""Items keep the due phrase as spoken ("before the QBR"), and each tracked change keeps the
words that caused it, so an item's history shows why its status or date moved."""

import sqlite3

from assistant.store.migrations import execute_script


def up(conn: sqlite3.Connection) -> None:
    execute_script(
        conn,
        """
        ALTER TABLE items ADD COLUMN due_phrase TEXT;
        ALTER TABLE item_edits ADD COLUMN meeting_id INTEGER
            REFERENCES meetings(id) ON DELETE SET NULL;
        ALTER TABLE item_edits ADD COLUMN evidence TEXT NOT NULL DEFAULT '[]';
        """,
    )
