"""Word times of transcribed recordings (table `turn_words`, migration m015)."""

from __future__ import annotations

import json
import sqlite3

from assistant.models import Turn
from assistant.transcribe.base import Word


def words_by_turn(turns: list[Turn], words: list[Word]) -> dict[int, list[Word]]:
    """Each word to the turn whose time span holds its start (turns are in time order; a word
    between two turns goes to the earlier one)."""
    timed = [t for t in turns if t.start_s is not None]
    out: dict[int, list[Word]] = {}
    n = 0
    for word in sorted(words, key=lambda w: w.start):
        while n + 1 < len(timed) and (timed[n + 1].start_s or 0.0) <= word.start:
            n += 1
        if timed:
            out.setdefault(timed[n].index, []).append(word)
    return out


def insert_words(conn: sqlite3.Connection, meeting_id: int, by_turn: dict[int, list[Word]]) -> None:
    conn.executemany(
        "INSERT INTO turn_words (meeting_id, turn_index, words) VALUES (?, ?, ?)",
        [
            (meeting_id, index, json.dumps([[w.text, w.start, w.end] for w in words]))
            for index, words in sorted(by_turn.items())
        ],
    )


def get_words(conn: sqlite3.Connection, meeting_id: int) -> dict[int, list[Word]]:
    rows = conn.execute(
        "SELECT turn_index, words FROM turn_words WHERE meeting_id = ? ORDER BY turn_index",
        (meeting_id,),
    )
    return {
        row[0]: [Word(text=t, start=s, end=e) for t, s, e in json.loads(row[1])] for row in rows
    }
