"""Group the field changes of one correction, so that undo reverts the correction as a whole."""

import sqlite3

from assistant.store.migrations import execute_script


def up(conn: sqlite3.Connection) -> None:
    execute_script(
        conn,
        """
        ALTER TABLE item_edits ADD COLUMN batch TEXT;
        UPDATE item_edits SET batch = CAST(id AS TEXT) WHERE batch IS NULL;
        """,
    )
