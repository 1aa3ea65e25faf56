"""Queries on users, sessions, API tokens and failed sign-ins. Rows in, rows out; no policy.

The rules (hashing, expiry, roles, rate limits) live in `assistant.auth`; this module only
reads and writes the tables of migrations m005 and m011.
"""

from __future__ import annotations

import sqlite3

from assistant.store.db import utcnow


def insert_user(
    conn: sqlite3.Connection, name: str, role: str, password_hash: str | None, must_change: bool
) -> int:
    now = utcnow()
    cur = conn.execute(
        "INSERT INTO users (name, role, password_hash, must_change_password, created_at,"
        " updated_at) VALUES (?,?,?,?,?,?)",
        (name, role, password_hash, int(must_change), now, now),
    )
    return int(cur.lastrowid or 0)


def get_user(conn: sqlite3.Connection, name: str) -> sqlite3.Row | None:
    return conn.execute("SELECT * FROM users WHERE name = ?", (name,)).fetchone()


def get_user_by_id(conn: sqlite3.Connection, user_id: int) -> sqlite3.Row | None:
    return conn.execute("SELECT * FROM users WHERE id = ?", (user_id,)).fetchone()


def list_users(conn: sqlite3.Connection) -> list[sqlite3.Row]:
    return conn.execute("SELECT * FROM users ORDER BY name COLLATE NOCASE").fetchall()


def count_users(conn: sqlite3.Connection, role: str | None = None) -> int:
    if role is None:
        return conn.execute("SELECT COUNT(*) FROM users").fetchone()[0]
    return conn.execute("SELECT COUNT(*) FROM users WHERE role = ?", (role,)).fetchone()[0]


def update_user(conn: sqlite3.Connection, user_id: int, **fields) -> None:
    allowed = {"role", "password_hash", "must_change_password"}
    sets = [f"{k} = ?" for k in fields if k in allowed]
    if len(sets) != len(fields):
        raise ValueError(f"cannot update user fields {sorted(set(fields) - allowed)}")
    conn.execute(
        f"UPDATE users SET {', '.join(sets)}, updated_at = ? WHERE id = ?",
        (*fields.values(), utcnow(), user_id),
    )


def delete_user(conn: sqlite3.Connection, user_id: int) -> None:
    conn.execute("DELETE FROM users WHERE id = ?", (user_id,))


# ------------------------------------------------------------------ sessions


def insert_session(
    conn: sqlite3.Connection, sid_hash: str, user_id: int, csrf: str, expires_at: str, ip: str
) -> None:
    now = utcnow()
    conn.execute(
        "INSERT INTO sessions (id, user_id, csrf, created_at, expires_at, last_seen_at, ip)"
        " VALUES (?,?,?,?,?,?,?)",
        (sid_hash, user_id, csrf, now, expires_at, now, ip),
    )


def get_session(conn: sqlite3.Connection, sid_hash: str) -> sqlite3.Row | None:
    return conn.execute("SELECT * FROM sessions WHERE id = ?", (sid_hash,)).fetchone()


def touch_session(conn: sqlite3.Connection, sid_hash: str, now: str) -> None:
    conn.execute("UPDATE sessions SET last_seen_at = ? WHERE id = ?", (now, sid_hash))


def delete_session(conn: sqlite3.Connection, sid_hash: str) -> None:
    conn.execute("DELETE FROM sessions WHERE id = ?", (sid_hash,))


def delete_user_sessions(conn: sqlite3.Connection, user_id: int, keep: str | None = None) -> None:
    conn.execute("DELETE FROM sessions WHERE user_id = ? AND id IS NOT ?", (user_id, keep))


def delete_expired_sessions(conn: sqlite3.Connection, now: str) -> None:
    conn.execute("DELETE FROM sessions WHERE expires_at < ?", (now,))


# ------------------------------------------------------------------ API tokens


def insert_token(
    conn: sqlite3.Connection,
    user_id: int,
    token_hash: str,
    prefix: str,
    label: str,
    expires_at: str | None = None,
) -> int:
    cur = conn.execute(
        "INSERT INTO api_tokens (user_id, token_hash, prefix, label, created_at, expires_at)"
        " VALUES (?,?,?,?,?,?)",
        (user_id, token_hash, prefix, label, utcnow(), expires_at),
    )
    return int(cur.lastrowid or 0)


def get_token(conn: sqlite3.Connection, token_hash: str) -> sqlite3.Row | None:
    """A token by its hash, revoked or not (the caller says why it no longer works)."""
    return conn.execute("SELECT * FROM api_tokens WHERE token_hash = ?", (token_hash,)).fetchone()


def list_tokens(conn: sqlite3.Connection, user_id: int) -> list[sqlite3.Row]:
    return conn.execute(
        "SELECT * FROM api_tokens WHERE user_id = ? AND revoked_at IS NULL ORDER BY id",
        (user_id,),
    ).fetchall()


def touch_token(conn: sqlite3.Connection, token_id: int, now: str) -> None:
    conn.execute("UPDATE api_tokens SET last_used_at = ? WHERE id = ?", (now, token_id))


def revoke_token(conn: sqlite3.Connection, token_id: int, user_id: int | None = None) -> bool:
    cur = conn.execute(
        "UPDATE api_tokens SET revoked_at = ?, revoked_reason = 'revoked' WHERE id = ?"
        " AND revoked_at IS NULL AND (? IS NULL OR user_id = ?)",
        (utcnow(), token_id, user_id, user_id),
    )
    return cur.rowcount > 0


def revoke_user_tokens(conn: sqlite3.Connection, user_id: int, reason: str) -> int:
    cur = conn.execute(
        "UPDATE api_tokens SET revoked_at = ?, revoked_reason = ? WHERE user_id = ?"
        " AND revoked_at IS NULL",
        (utcnow(), reason, user_id),
    )
    return cur.rowcount


# ------------------------------------------------------------------ failed sign-ins


def add_failure(conn: sqlite3.Connection, username: str, ip: str, at: str) -> None:
    conn.execute("INSERT INTO login_failures (username, ip, at) VALUES (?,?,?)", (username, ip, at))


def failures_since(conn: sqlite3.Connection, username: str, ip: str, since: str) -> list[str]:
    """Times of the failed sign-ins for this name and address since `since`, oldest first."""
    rows = conn.execute(
        "SELECT at FROM login_failures WHERE username = ? AND ip = ? AND at >= ? ORDER BY at",
        (username, ip, since),
    ).fetchall()
    return [r[0] for r in rows]


def clear_failures(conn: sqlite3.Connection, username: str, ip: str) -> None:
    conn.execute("DELETE FROM login_failures WHERE username = ? AND ip = ?", (username, ip))


def prune_failures(conn: sqlite3.Connection, before: str) -> None:
    conn.execute("DELETE FROM login_failures WHERE at < ?", (before,))
