"""Digest recipients and the delivery ledger (one row per week and recipient: sent once)."""

import sqlite3

from assistant.store.migrations import execute_script


def up(conn: sqlite3.Connection) -> None:
    execute_script(
        conn,
        """
        CREATE TABLE recipients (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            email TEXT NOT NULL UNIQUE COLLATE NOCASE,
            role TEXT NOT NULL CHECK (role IN ('cio', 'cmo', 'other')),
            timezone TEXT NOT NULL DEFAULT 'UTC',
            channel TEXT NOT NULL CHECK (channel IN ('email', 'webhook', 'folder')),
            webhook_url TEXT,
            active INTEGER NOT NULL DEFAULT 1,
            created_at TEXT NOT NULL
        );

        -- Times are UTC ISO strings of one fixed shape, so they compare as text.
        -- next_attempt_at IS NULL on a failed row means: retries exhausted, failed for good.
        CREATE TABLE digest_deliveries (
            id INTEGER PRIMARY KEY,
            week TEXT NOT NULL,
            recipient_id INTEGER REFERENCES recipients(id) ON DELETE SET NULL,
            recipient_name TEXT NOT NULL,
            recipient_email TEXT NOT NULL,
            role TEXT NOT NULL,
            channel TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
            attempts INTEGER NOT NULL DEFAULT 0,
            last_error TEXT,
            next_attempt_at TEXT,
            claimed_at TEXT,
            claim_token TEXT,
            sent_at TEXT,
            subject TEXT,
            markdown TEXT,
            html TEXT,
            text TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            UNIQUE (week, recipient_id)
        );
        CREATE INDEX digest_deliveries_due ON digest_deliveries(status, next_attempt_at);
        """,
    )
