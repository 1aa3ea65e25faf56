"""KPI readings: every value a goal's KPI took, and where it came from.

A goal import or an edit (CLI, API, web: `author` says who) that changes a KPI's current value
adds a row; so does a meeting turn that states the value ("the Snowflake migration is at
eighty-five percent"), with the meeting, the turn and its words. `at` is when the value held: the
time of the edit, or the meeting's date. Meeting readings never change the goal's own value.
"""

import sqlite3

from assistant.store.migrations import execute_script


def up(conn: sqlite3.Connection) -> None:
    execute_script(
        conn,
        """
        CREATE TABLE kpi_readings (
            id INTEGER PRIMARY KEY,
            goal_id TEXT NOT NULL REFERENCES goals(id) ON DELETE CASCADE,
            kpi TEXT NOT NULL,
            value REAL,
            unit TEXT NOT NULL DEFAULT '',
            source TEXT NOT NULL CHECK (source IN ('import', 'edit', 'meeting')),
            author TEXT,
            meeting_id INTEGER REFERENCES meetings(id) ON DELETE CASCADE,
            turn_index INTEGER,
            quote TEXT,
            speaker TEXT,
            at TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE INDEX kpi_readings_goal ON kpi_readings(goal_id, kpi, at, id);
        CREATE INDEX kpi_readings_meeting ON kpi_readings(meeting_id);
        """,
    )
