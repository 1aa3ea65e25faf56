"""Read-only corpus statistics that asking needs (how common a word is across chunks)."""

from __future__ import annotations

import sqlite3


def document_frequency(conn: sqlite3.Connection, terms: list[str]) -> tuple[dict[str, int], int]:
    """For each term, the number of chunks containing it (prefix match); and the chunk total."""
    total = int(conn.execute("SELECT COUNT(*) FROM chunks").fetchone()[0])
    out = {}
    for term in terms:
        cleaned = "".join(ch for ch in term if ch.isalnum())
        if not cleaned:
            out[term] = 0
            continue
        row = conn.execute(
            "SELECT COUNT(*) FROM chunks_fts WHERE chunks_fts MATCH ?", (f'"{cleaned}"*',)
        ).fetchone()
        out[term] = int(row[0])
    return out, total


def item_owners(conn: sqlite3.Connection) -> list[str]:
    """Everyone who owns an item (owners need not have spoken: "Elena" may own an action)."""
    rows = conn.execute("SELECT DISTINCT owner FROM items WHERE owner IS NOT NULL AND owner != ''")
    return [r[0] for r in rows]
