"""Outgoing webhooks: endpoints (each with its own signing secret) and an outbox of deliveries.

An event is queued as one row per endpoint, in SQLite, right after the change that caused it
commits; a worker delivers rows outside any request and retries failures with backoff. The row
keeps the exact body that was signed, its attempts and the last answer: the delivery log.
`dedupe` keeps one row per endpoint for events found by scanning (a digest sent).
"""

import sqlite3

from assistant.store.migrations import execute_script


def up(conn: sqlite3.Connection) -> None:
    execute_script(
        conn,
        """
        CREATE TABLE webhook_endpoints (
            id INTEGER PRIMARY KEY,
            url TEXT NOT NULL,
            format TEXT NOT NULL DEFAULT 'liaison' CHECK (format IN ('liaison', 'slack')),
            events TEXT NOT NULL DEFAULT '[]',
            secret TEXT NOT NULL,
            label TEXT NOT NULL DEFAULT '',
            active INTEGER NOT NULL DEFAULT 1,
            created_at TEXT NOT NULL
        );

        -- Times are UTC ISO strings of one fixed shape, so they compare as text.
        CREATE TABLE webhook_deliveries (
            id INTEGER PRIMARY KEY,
            endpoint_id INTEGER NOT NULL REFERENCES webhook_endpoints(id) ON DELETE CASCADE,
            event_id TEXT NOT NULL,
            event TEXT NOT NULL,
            body TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'sending', 'delivered', 'failed')),
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at TEXT,
            claimed_at TEXT,
            last_status INTEGER,
            last_error TEXT,
            delivered_at TEXT,
            dedupe TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            UNIQUE (endpoint_id, dedupe)
        );
        CREATE INDEX webhook_deliveries_due ON webhook_deliveries(status, next_attempt_at);
        CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries(endpoint_id, id);
        """,
    )
