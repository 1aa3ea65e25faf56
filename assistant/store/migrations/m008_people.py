"""The people directory: who is on which side (IT, Marketing), so items get the right team."""

import sqlite3

from assistant.store.migrations import execute_script


def up(conn: sqlite3.Connection) -> None:
    execute_script(
        conn,
        """
        CREATE TABLE people (
            name TEXT PRIMARY KEY COLLATE NOCASE,
            team TEXT NOT NULL,
            title TEXT NOT NULL DEFAULT '',
            updated_at TEXT NOT NULL
        );
        """,
    )
