"""Meetings keep the parser's warnings (what was skipped or missing in the file), and chunks of
Chinese, Japanese and other unspaced text get a second full-text index of character bigrams
(see assistant/unspaced.py), so a phrase inside a sentence is found."""

import sqlite3

from assistant.store.migrations import execute_script
from assistant.unspaced import for_index, has_unspaced


def up(conn: sqlite3.Connection) -> None:
    execute_script(
        conn,
        """
        ALTER TABLE meetings ADD COLUMN warnings TEXT NOT NULL DEFAULT '[]';

        CREATE VIRTUAL TABLE chunks_bigrams USING fts5(text, tokenize='porter unicode61');
        CREATE TRIGGER chunks_bigrams_ad AFTER DELETE ON chunks BEGIN
            DELETE FROM chunks_bigrams WHERE rowid = old.id;
        END;
        """,
    )
    rows = conn.execute("SELECT id, text FROM chunks").fetchall()
    conn.executemany(
        "INSERT INTO chunks_bigrams (rowid, text) VALUES (?, ?)",
        [(r[0], for_index(r[1])) for r in rows if has_unspaced(r[1])],
    )
