"""Hybrid search: lexical BM25 (SQLite FTS5) fused with dense similarity (FAISS).

Both retrievers return their top candidates under the same filters; the fusion combines their
normalised scores, and a query that names a speaker in the corpus favours that speaker's chunks.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from assistant.embed import Embedder
from assistant.models import SearchFilters, SearchHit
from assistant.store import meetings as q
from assistant.vectors import VectorIndex

_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'\-]*")
# fmt: off
STOPWORDS = frozenset("""
a an and are as at be but by can could did do does for from had has have how i if in into
is it its me my of on or our so that the their them then there these they this to was we
were what when where which who why will with would you your about say said says discuss
discussed discussion talk talked think thought mention mentioned summarize summarise
""".split())
# fmt: on


@dataclass
class Candidate:
    chunk_id: int
    lexical: float = 0.0  # normalised to [0, 1] within the query
    dense: float = 0.0  # cosine, then normalised to [0, 1] within the query
    speaker_match: bool = False
    score: float = 0.0


def query_terms(text: str) -> list[str]:
    """Lower-cased content words of a query, stopwords removed, order kept, no duplicates."""
    seen: list[str] = []
    for word in _WORD.findall(text.lower()):
        word = word.strip("'-")
        if word and word not in STOPWORDS and word not in seen:
            seen.append(word)
    return seen


def fts_query(terms: list[str]) -> str:
    return " OR ".join('"' + t.replace('"', "") + '"' for t in terms)


def named_speakers(query: str, speakers: list[str]) -> list[str]:
    """Speakers of the corpus named in the query, by full name or first name (whole words)."""
    lowered = f" {query.lower()} "
    found = []
    for speaker in speakers:
        first = speaker.split()[0].lower() if speaker.split() else ""
        full = speaker.lower()
        for name in {full, first}:
            if len(name) >= 3 and re.search(rf"\b{re.escape(name)}(?:'s)?\b", lowered):
                found.append(speaker)
                break
    return found


class HybridSearcher:
    """Search chunks by meaning and by words. Reads the database; never writes."""

    def __init__(
        self,
        connect: Callable[[], sqlite3.Connection],
        index: Callable[[], VectorIndex],
        embedder: Embedder,
        candidates: int = 60,
        dense_weight: float = 0.6,
        speaker_boost: float = 0.15,
    ):
        self._connect = connect
        self._index = index
        self._embedder = embedder
        self.candidates = candidates
        self.dense_weight = dense_weight
        self.speaker_boost = speaker_boost

    def search(
        self, query: str, filters: SearchFilters | None = None, k: int = 10
    ) -> list[SearchHit]:
        filters = filters or SearchFilters()
        conn = self._connect()
        allowed = q.chunk_ids_matching(conn, filters)
        pool: dict[int, Candidate] = {}

        for chunk_id, score in self._lexical(conn, query, filters):
            pool.setdefault(chunk_id, Candidate(chunk_id)).lexical = score
        for chunk_id, score in self._dense(query, allowed):
            pool.setdefault(chunk_id, Candidate(chunk_id)).dense = score
        if not pool:
            return []

        named = named_speakers(query, q.speakers(conn)) if not filters.speaker else []
        chunks = q.get_chunks(conn, pool)
        for cand in pool.values():
            chunk = chunks.get(cand.chunk_id)
            if chunk is None:  # deleted between the two reads
                cand.score = -1.0
                continue
            cand.speaker_match = bool(named) and any(s in chunk.speakers for s in named)
            cand.score = self.dense_weight * cand.dense + (1 - self.dense_weight) * cand.lexical
            if cand.speaker_match:
                cand.score += self.speaker_boost
        ranked = sorted((c for c in pool.values() if c.score >= 0), key=lambda c: -c.score)[:k]

        meetings = {}
        hits = []
        for cand in ranked:
            chunk = chunks[cand.chunk_id]
            if chunk.meeting_id not in meetings:
                meetings[chunk.meeting_id] = q.get_meeting(conn, chunk.meeting_id)
            meeting = meetings[chunk.meeting_id]
            hits.append(
                SearchHit(
                    meeting_id=meeting.id,
                    title=meeting.title,
                    date=meeting.date,
                    kind=meeting.kind,
                    chunk_id=cand.chunk_id,
                    turn_start=chunk.turn_start,
                    turn_end=chunk.turn_end,
                    start_s=chunk.start_s,
                    end_s=chunk.end_s,
                    speakers=chunk.speakers,
                    text=chunk.text,
                    score=round(cand.score, 4),
                )
            )
        return hits

    def _lexical(
        self, conn: sqlite3.Connection, query: str, filters: SearchFilters
    ) -> list[tuple[int, float]]:
        terms = query_terms(query)
        if not terms:
            return []
        where, params = q.filter_sql(filters.model_copy(update={"speaker": None}))
        sql = (
            "SELECT c.id, -bm25(chunks_fts) AS s FROM chunks_fts"
            " JOIN chunks c ON c.id = chunks_fts.rowid JOIN meetings m ON m.id = c.meeting_id"
            f" WHERE chunks_fts MATCH ? AND {where}"
        )
        args: list = [fts_query(terms), *params]
        if filters.speaker:
            clause, extra = q.speaker_sql(filters.speaker)
            sql += f" AND {clause}"
            args += extra
        sql += " ORDER BY bm25(chunks_fts) LIMIT ?"
        args.append(self.candidates)
        rows = conn.execute(sql, args).fetchall()
        return _minmax([(int(r[0]), float(r[1])) for r in rows])

    def _dense(self, query: str, allowed: np.ndarray | None) -> list[tuple[int, float]]:
        vector = self._embedder.embed_batch([query])[0]
        return _minmax(self._index().search(vector, self.candidates, allowed))


def _minmax(scored: list[tuple[int, float]]) -> list[tuple[int, float]]:
    """Scale scores to [0, 1] within one result list (the best gets 1)."""
    if not scored:
        return []
    values = [s for _, s in scored]
    low, high = min(values), max(values)
    span = high - low
    return [(cid, (s - low) / span if span > 0 else 1.0) for cid, s in scored]
