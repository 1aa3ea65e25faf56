"""Proposed changes to items (from an assistant over MCP) that a member approves or rejects;
the item's history names the proposal its events belong to."""

import sqlite3

from assistant.store.migrations import execute_script


def up(conn: sqlite3.Connection) -> None:
    execute_script(
        conn,
        """
        CREATE TABLE proposals (
            id INTEGER PRIMARY KEY,
            item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
            changes TEXT NOT NULL,
            before TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT '',
            proposed_by TEXT NOT NULL,
            via TEXT NOT NULL DEFAULT 'mcp',
            status TEXT NOT NULL DEFAULT 'pending',
            decided_by TEXT,
            decided_at TEXT,
            reason TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL
        );
        CREATE INDEX proposals_status ON proposals(status, id);
        CREATE INDEX proposals_item ON proposals(item_id);
        ALTER TABLE item_edits ADD COLUMN proposal_id INTEGER;
        """,
    )
