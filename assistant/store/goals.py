"""Queries on the shared goals."""

from __future__ import annotations

import json
import sqlite3

import numpy as np

from assistant.errors import GoalNotFound
from assistant.models import Goal
from assistant.store.db import utcnow


def _goal(row: sqlite3.Row) -> Goal:
    data = dict(row)
    data.pop("vector", None)
    data.pop("updated_at", None)
    data["kpis"] = json.loads(data["kpis"])
    data["milestones"] = json.loads(data["milestones"])
    # Goals stored before KPI values were checked read back with those values as unknown.
    return Goal.model_validate(data, context={"stored": True})


def upsert_goal(conn: sqlite3.Connection, goal: Goal, vector: np.ndarray | None) -> None:
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
