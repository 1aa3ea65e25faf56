"""The SQLite database: connections, numbered migrations, transactions, a cross-process lock.

SQLite runs in WAL mode so a server and a CLI can read while one of them writes; writers take
`BEGIN IMMEDIATE` and wait (busy timeout) instead of failing. `Database.write_lock()` is a file lock
held while a writer changes both the database and the derived FAISS file, so two processes never
interleave those two steps.
"""

from __future__ import annotations

import fcntl
import re
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from assistant.store.migrations import MIGRATIONS


def next_id(conn: sqlite3.Connection, table: str) -> int:
    """A fresh id for `table`, never one used before, even by a deleted row: ids appear in
    links, bookmarks and sent digests, which must not come to point at something else.
    (SQLite reuses the largest id after it is deleted unless the table was made AUTOINCREMENT.)"""
    key = f"last_id:{table}"
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    top = conn.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}").fetchone()[0]
    new = max(int(row[0]) if row else 0, int(top)) + 1
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?, ?)"
        " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (key, str(new)),
    )
    return new


MAX_ID = 2**63 - 1  # the largest INTEGER SQLite holds: a larger number names nothing
_ID = re.compile(r"[0-9]{1,19}")


def as_id(text: str) -> int | None:
    """The id a text names ('12'), or None: ASCII digits only (a superscript '²' passes
    `str.isdigit()` but not `int()`), and small enough for SQLite."""
    text = text.strip()
    if not _ID.fullmatch(text):
        return None
    number = int(text)
    return number if number <= MAX_ID else None


def first_name_pattern(name: str) -> str:
    """LIKE pattern for full names that start with `name` as their first word, with the
    wildcards `%` and `_` in `name` taken literally (use with ESCAPE '\\')."""
    escaped = name.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"{escaped} %"


def utcnow() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Database:
    """One SQLite file. Connections are per thread; call `migrate()` once at start-up."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._lock_path = self.path.with_suffix(".lock")
        self._thread_lock = threading.RLock()
        self._lock_depth = 0  # guarded by _thread_lock

    def connect(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=30.0, isolation_level=None)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA busy_timeout=30000")
            self._local.conn = conn
        return conn

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE … COMMIT; any exception rolls everything back."""
        conn = self.connect()
        if conn.in_transaction:  # nested use joins the outer transaction
            yield conn
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        else:
            conn.execute("COMMIT")

    @contextmanager
    def write_lock(self) -> Iterator[None]:
        """Exclusive lock across threads and processes sharing this database file."""
        with self._thread_lock:
            if self._lock_depth:  # re-entered by the thread that holds it
                self._lock_depth += 1
                try:
                    yield
                finally:
                    self._lock_depth -= 1
                return
            with open(self._lock_path, "a+") as handle:
                fcntl.flock(handle, fcntl.LOCK_EX)
                self._lock_depth = 1
                try:
                    yield
                finally:
                    self._lock_depth = 0
                    fcntl.flock(handle, fcntl.LOCK_UN)

    def migrate(self) -> list[str]:
        """Apply the migrations not yet recorded; return the names applied."""
        conn = self.connect()
        conn.execute(
            "CREATE TABLE IF NOT EXISTS migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL,"
            " applied_at TEXT NOT NULL)"
        )
        applied = []
        with self.write_lock():
            done = {row[0] for row in conn.execute("SELECT id FROM migrations")}
            for number, name, up in MIGRATIONS:
                if number in done:
                    continue
                with self.transaction() as tx:
                    up(tx)
                    tx.execute(
                        "INSERT INTO migrations (id, name, applied_at) VALUES (?, ?, ?)",
                        (number, name, utcnow()),
                    )
                applied.append(name)
        return applied

    def get_meta(self, key: str, default: str | None = None) -> str | None:
        row = self.connect().execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def set_meta(self, conn: sqlite3.Connection, key: str, value: str) -> None:
        conn.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?)"
            " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )
