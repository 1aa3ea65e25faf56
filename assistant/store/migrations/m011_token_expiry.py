"""Personal API tokens may expire, and say why they stopped working (revoked by hand, or
ended by a change of their user's password)."""

import sqlite3

from assistant.store.migrations import execute_script


def up(conn: sqlite3.Connection) -> None:
    execute_script(
        conn,
        """
        ALTER TABLE api_tokens ADD COLUMN expires_at TEXT;
        ALTER TABLE api_tokens ADD COLUMN revoked_reason TEXT;
        """,
    )
