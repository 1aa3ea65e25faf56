"""Queries on the shared goals."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, datetime

import numpy as np

from assistant.errors import GoalNotFound
from assistant.models import Goal, KpiReading
from assistant.store.db import utcnow


def _goal(row: sqlite3.Row) -> Goal:
    data = dict(row)
    data.pop("vector", None)
    data.pop("updated_at", None)
    data["kpis"] = json.loads(data["kpis"])
    data["milestones"] = json.loads(data["milestones"])
    # Goals stored before KPI values were checked read back with those values as unknown.
    return Goal.model_validate(data, context={"stored": True})


def upsert_goal(
    conn: sqlite3.Connection,
    goal: Goal,
    vector: np.ndarray | None,
    *,
    source: str = "edit",
    author: str | None = None,
) -> None:
    """Store the goal; each KPI whose current value this changes (or a new goal's KPIs with a
    value) gets a reading from `source` ("import" or "edit") by `author`."""
    before = conn.execute("SELECT kpis FROM goals WHERE id = ?", (goal.id,)).fetchone()
    old = {k["name"]: k.get("current") for k in json.loads(before[0])} if before else {}
    dumped = goal.model_dump(mode="json")
    conn.execute(
        "INSERT INTO goals (id, title, description, side, kpis, milestones, vector, updated_at)"
        " VALUES (?,?,?,?,?,?,?,?) ON CONFLICT(id) DO UPDATE SET title = excluded.title,"
        " description = excluded.description, side = excluded.side, kpis = excluded.kpis,"
        " milestones = excluded.milestones, vector = excluded.vector,"
        " updated_at = excluded.updated_at",
        (
            goal.id,
            goal.title,
            goal.description,
            goal.side.value,
            json.dumps(dumped["kpis"]),
            json.dumps(dumped["milestones"]),
            None if vector is None else np.asarray(vector, dtype=np.float32).tobytes(),
            utcnow(),
        ),
    )
    now = utcnow()
    for kpi in goal.kpis:
        changed = old.get(kpi.name) != kpi.current if kpi.name in old else kpi.current is not None
        if changed:
            add_reading(conn, goal.id, kpi.name, kpi.current, kpi.unit, source, now, author=author)


def add_reading(
    conn: sqlite3.Connection,
    goal_id: str,
    kpi: str,
    value: float | None,
    unit: str,
    source: str,
    at: str,
    *,
    author: str | None = None,
    meeting_id: int | None = None,
    turn_index: int | None = None,
    quote: str | None = None,
    speaker: str | None = None,
) -> None:
    conn.execute(
        "INSERT INTO kpi_readings (goal_id, kpi, value, unit, source, author, meeting_id,"
        " turn_index, quote, speaker, at, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        (
            goal_id,
            kpi,
            value,
            unit,
            source,
            author,
            meeting_id,
            turn_index,
            quote,
            speaker,
            at,
            utcnow(),
        ),
    )


def meeting_time(day: date) -> str:
    """When a meeting's reading held: noon UTC of its day (the day reads the same everywhere)."""
    return datetime(day.year, day.month, day.day, 12).isoformat() + "+00:00"


_READINGS = (
    "SELECT r.*, m.title AS meeting_title FROM kpi_readings r"
    " LEFT JOIN meetings m ON m.id = r.meeting_id"
)


def readings(conn: sqlite3.Connection, goal_id: str | None = None) -> list[KpiReading]:
    """A goal's readings (every goal's when None), oldest first (ties by id)."""
    where, args = (" WHERE r.goal_id = ?", (goal_id,)) if goal_id else ("", ())
    rows = conn.execute(_READINGS + where + " ORDER BY r.at, r.id", args)
    return [KpiReading.model_validate(dict(r)) for r in rows]


def get_goal(conn: sqlite3.Connection, goal_id: str) -> Goal:
    row = conn.execute("SELECT * FROM goals WHERE id = ?", (goal_id,)).fetchone()
    if row is None:
        raise GoalNotFound(goal_id)
    return _goal(row)


def list_goals(conn: sqlite3.Connection) -> list[Goal]:
    return [_goal(r) for r in conn.execute("SELECT * FROM goals ORDER BY id")]


def goal_vectors(conn: sqlite3.Connection) -> list[tuple[str, np.ndarray]]:
    rows = conn.execute("SELECT id, vector FROM goals WHERE vector IS NOT NULL ORDER BY id")
    return [(r[0], np.frombuffer(r[1], dtype=np.float32)) for r in rows]
