"""User glossary terms (they override the built-in ones) and the approved-tools list."""

import sqlite3

from assistant.store.migrations import execute_script


def up(conn: sqlite3.Connection) -> None:
    execute_script(
        conn,
        """
        CREATE TABLE glossary_terms (
            term TEXT PRIMARY KEY COLLATE NOCASE,
            data TEXT NOT NULL,
            author TEXT,
            updated_at TEXT NOT NULL
        );

        CREATE TABLE approved_tools (
            name TEXT PRIMARY KEY COLLATE NOCASE,
            note TEXT NOT NULL DEFAULT '',
            author TEXT,
            added_at TEXT NOT NULL
        );
        """,
    )
