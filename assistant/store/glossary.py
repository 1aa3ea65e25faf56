"""Queries for user glossary terms and the approved-tools list (migration m003)."""

from __future__ import annotations

import json
import sqlite3

from assistant.store.db import utcnow


def user_terms(conn: sqlite3.Connection) -> list[dict]:
    """User-added glossary terms as stored dicts, in the order they were added."""
    rows = conn.execute("SELECT data FROM glossary_terms ORDER BY rowid").fetchall()
    return [json.loads(r[0]) for r in rows]


def upsert_term(conn: sqlite3.Connection, term: str, data: dict, author: str | None) -> None:
    conn.execute(
        "INSERT INTO glossary_terms (term, data, author, updated_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT(term) DO UPDATE SET data = excluded.data, author = excluded.author,"
        " updated_at = excluded.updated_at",
        (term, json.dumps(data), author, utcnow()),
    )


def delete_term(conn: sqlite3.Connection, term: str) -> bool:
    return conn.execute("DELETE FROM glossary_terms WHERE term = ?", (term,)).rowcount > 0


def approved_tools(conn: sqlite3.Connection) -> list[sqlite3.Row]:
    return conn.execute(
        "SELECT name, note, author, added_at FROM approved_tools ORDER BY name COLLATE NOCASE"
    ).fetchall()


def approve_tool(conn: sqlite3.Connection, name: str, note: str, author: str | None) -> None:
    conn.execute(
        "INSERT INTO approved_tools (name, note, author, added_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT(name) DO UPDATE SET note = excluded.note",
        (name, note, author, utcnow()),
    )


def unapprove_tool(conn: sqlite3.Connection, name: str) -> bool:
    return conn.execute("DELETE FROM approved_tools WHERE name = ?", (name,)).rowcount > 0
