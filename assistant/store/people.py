"""Queries on the people directory."""

from __future__ import annotations

import sqlite3

from assistant.errors import NotFound
from assistant.models import Person
from assistant.store.db import utcnow


def upsert_person(conn: sqlite3.Connection, person: Person) -> None:
    conn.execute(
        "INSERT INTO people (name, team, title, updated_at) VALUES (?,?,?,?)"
        " ON CONFLICT(name) DO UPDATE SET team = excluded.team, title = excluded.title,"
        " updated_at = excluded.updated_at",
        (person.name, person.team.value, person.title, utcnow()),
    )


def list_people(conn: sqlite3.Connection) -> list[Person]:
    rows = conn.execute("SELECT name, team, title FROM people ORDER BY name").fetchall()
    return [Person.model_validate(dict(r)) for r in rows]


def delete_person(conn: sqlite3.Connection, name: str) -> None:
    if conn.execute("DELETE FROM people WHERE name = ?", (name,)).rowcount == 0:
        raise NotFound(f"nobody called {name!r} in the people directory")


def retag_items(conn: sqlite3.Connection, person: Person) -> int:
    """Give a person's items their team, except where a person corrected the team by hand."""
    cur = conn.execute(
        "UPDATE items SET team = ?, updated_at = ? WHERE owner = ? COLLATE NOCASE"
        " AND edited_fields NOT LIKE '%\"team\"%' AND team != ?",
        (person.team.value, utcnow(), person.name, person.team.value),
    )
    return cur.rowcount
