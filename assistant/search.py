"""Hybrid search: lexical BM25 (SQLite FTS5) fused with dense similarity (FAISS).

1. The query loses its instruction words ("Summarise the discussion about …", `rank.topic_of`).
2. Candidates: the best chunks by meaning (FAISS) and by words (FTS5), under the filters, plus
   each candidate's neighbours in its meeting. A query in Chinese, Japanese or another unspaced
   script is matched by character bigrams in `chunks_bigrams` (see unspaced.py). The query is
   embedded and looked up in FAISS on a worker thread while the FTS5 pass runs.
3. Every candidate is scored on both signals: cosine from its stored vector, and BM25 from the
   one FTS5 pass (its best few hundred matches; a chunk outside them ranks below every match).
   Each signal is standardised over the pool (z-scores) and the two are weighted.
4. A chunk spoken by a person the query names gains in proportion to that person's share of it.
5. Relevant talk runs over consecutive chunks: each score gains part of its neighbours' mean.
6. The list is built best first, and chunks close to one already listed (same meeting, up to
   two chunks away) are marked down, so the results show different passages rather than
   overlapping windows onto one.

The weights were tuned on QMSum (bench/search_qmsum.py), never per query.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from assistant import rank, unspaced
from assistant.embed import Embedder
from assistant.errors import MeetingNotFound
from assistant.models import SearchFilters, SearchHit
from assistant.rank import named_speakers  # noqa: F401  (part of this module's interface)
from assistant.store import meetings as q
from assistant.vectors import VectorIndex

# Letters of any script ("données", "Müller", "日本語"), as SQLite's unicode61 tokenizer reads them.
WORD = re.compile(r"[^\W_][\w'\-]*")
# fmt: off
STOPWORDS = frozenset("""
a an and are as at be but by can could did do does for from had has have how i if in into
is it its me my of on or our so that the their them then there these they this to was we
were what when where which who why will with would you your about say said says discuss
discussed discussion talk talked think thought mention mentioned summarize summarise
""".split())
# fmt: on


@dataclass(frozen=True)
class RankWeights:
    """How the signals combine (tuned on QMSum validation, see bench/search_qmsum.py)."""

    dense: float = 0.6  # weight of the dense z-score; the lexical one gets 1 - dense
    speaker: float = 1.0  # added times the named speakers' share of the chunk's words
    neighbours: float = 0.4  # times the mean fused score of the chunk's two neighbours
    repeat_penalty: float = 1.0  # taken off chunks near one already listed …
    repeat_reach: int = 2  # … up to this many chunks away in the same meeting


def query_terms(text: str) -> list[str]:
    """Lower-cased content words of a query, stopwords removed, order kept, no duplicates."""
    seen: list[str] = []
    for word in WORD.findall(text.lower()):
        word = word.strip("'-")
        if word and word not in STOPWORDS and word not in seen:
            seen.append(word)
    return seen


def fts_query(terms: list[str]) -> str:
    """FTS5 query matching any of `terms` (`word*` stays a prefix query)."""
    quoted = []
    for term in terms:
        prefix = term.endswith("*")
        quoted.append('"' + term.rstrip("*").replace('"', "") + '"' + ("*" if prefix else ""))
    return " OR ".join(quoted)


def lexical_index(terms: list[str]) -> tuple[str, list[str]]:
    """Which full-text table to ask and with what tokens: a query in Chinese, Japanese… asks
    the bigram index (unspaced.py) with its words cut the same way; any other, `chunks_fts`."""
    if not any(unspaced.has_unspaced(t) for t in terms):
        return "chunks_fts", terms
    tokens: list[str] = []
    for term in terms:
        tokens += [t for t in unspaced.query_tokens(term) if t not in tokens]
    return "chunks_bigrams", tokens


def _frequency_scores(
    conn: sqlite3.Connection, chunks: dict[int, float], tokens: list[str]
) -> dict[int, float]:
    """Chunks matched by common words only, scored by how often they say them (BM25's term
    frequency part, length-normalised; every word weighs the same), best first."""
    if not chunks:
        return {}
    ids = list(chunks)
    rows = conn.execute(
        f"SELECT id, text FROM chunks WHERE id IN ({','.join('?' * len(ids))})", ids
    ).fetchall()
    # The index stems words (porter): a word counts when it starts like the query term.
    # Words hold no spaces, so in " word word …" a word starting with `stem` is exactly an
    # occurrence of " stem": str.count does in C what a loop over the words did in Python
    # (300 chunks at a million: 31 ms before, 12 ms with reading the rows).
    stems = [" " + t.rstrip("*")[: max(3, len(t.rstrip("*")) - 2)] for t in tokens]
    lengths: dict[int, int] = {}
    joined: dict[int, str] = {}
    for cid, text in rows:
        words = WORD.findall(text.lower())
        lengths[cid] = len(words)
        joined[cid] = " " + " ".join(words)
    average = sum(lengths.values()) / max(1, len(lengths))
    scores = {}
    for cid, said in joined.items():
        norm = 1.2 * (0.25 + 0.75 * lengths[cid] / max(1.0, average))
        counts = [said.count(stem) for stem in stems]
        scores[cid] = sum(n * 2.2 / (n + norm) for n in counts)
    return dict(sorted(scores.items(), key=lambda kv: -kv[1]))


@dataclass
class _Pool:
    """The candidate chunks of one query, in parallel arrays."""

    ids: np.ndarray
    meeting_ids: np.ndarray
    vectors: np.ndarray
    texts: list[str]
    speakers: list[list[str]]


def _neighbours(pool: _Pool) -> tuple[np.ndarray, np.ndarray]:
    """Pool positions of each chunk's previous and next chunk in its meeting (-1: not there).

    A meeting's chunks are stored in one transaction, so they have consecutive ids."""
    position = {int(cid): i for i, cid in enumerate(pool.ids)}
    sides = []
    for step in (-1, 1):
        side = np.array([position.get(int(cid) + step, -1) for cid in pool.ids], dtype=np.int64)
        same = side >= 0
        same[same] = pool.meeting_ids[side[same]] == pool.meeting_ids[same]
        sides.append(np.where(same, side, -1))
    return sides[0], sides[1]


class HybridSearcher:
    """Search chunks by meaning and by words. Reads the database; never writes."""

    def __init__(
        self,
        connect: Callable[[], sqlite3.Connection],
        index: Callable[[], VectorIndex],
        embedder: Embedder,
        candidates: int = 50,
        weights: RankWeights | None = None,
        lexical_candidates: int = 300,
        bound_matches: int = 2_000,
    ):
        self._connect = connect
        self._index = index
        self._embedder = embedder
        self.candidates = candidates  # seeds taken from each retriever
        self.lexical_candidates = lexical_candidates  # BM25 scores kept for the pool
        self.bound_matches = bound_matches  # chunks BM25 scores at most per common word
        self.weights = weights or RankWeights()
        # The query is embedded and looked up in FAISS on a worker thread while this one runs
        # the full-text pass, and each side reads its own seeds' rows: ONNX Runtime, FAISS and
        # sqlite3 release the GIL, so the two overlap (at a million chunks ~8 ms each; threads
        # start at the first search, several so that concurrent requests do not queue).
        self._workers: ThreadPoolExecutor | None = None
        self._workers_pid = -1

    def _worker_pool(self) -> ThreadPoolExecutor:
        """The worker threads of this process: a forked child inherits the pool's state but
        not its threads, so it starts a pool of its own (else its first search would hang)."""
        if self._workers is None or self._workers_pid != os.getpid():
            self._workers = ThreadPoolExecutor(max_workers=4, thread_name_prefix="liaison-search")
            self._workers_pid = os.getpid()
        return self._workers

    def search(
        self, query: str, filters: SearchFilters | None = None, k: int = 10
    ) -> list[SearchHit]:
        filters = filters or SearchFilters()
        conn = self._connect()
        topic = rank.topic_of(query)
        terms = query_terms(topic)
        allowed = q.chunk_ids_matching(conn, filters)
        wanted = max(self.candidates, k)  # seeds per retriever: enough for the page asked
        dense = self._worker_pool().submit(self._dense, self._index(), topic, wanted, allowed)
        lexical = self._lexical(conn, terms, filters, allowed, max(self.lexical_candidates, k))
        seeds = set(list(lexical)[:wanted])
        rows = self._rows(conn, seeds, allowed)
        vector, dense_seeds, dense_rows = dense.result()
        seeds |= dense_seeds
        pool = self._pool(seeds, {**dense_rows, **rows})
        if pool is None:
            return []
        scores = self._score(pool, query, lexical, vector, bool(filters.speaker))
        top = rank.diversify(
            scores,
            pool.ids,
            pool.meeting_ids,
            k,
            self.weights.repeat_penalty,
            self.weights.repeat_reach,
        )
        return self._hits(conn, pool, scores, top)

    # ------------------------------------------------------------------ candidates

    def _dense(
        self, index: VectorIndex, topic: str, wanted: int, allowed: np.ndarray | None
    ) -> tuple[np.ndarray, set[int], dict[int, tuple]]:
        """On a worker thread: the query's vector, the ids of its `wanted` nearest chunks, and
        their rows and their neighbours' (read on this thread's own connection)."""
        vector = self._embedder.embed_batch([topic])[0]
        seeds = {cid for cid, _ in index.search(vector, wanted, allowed)}
        return vector, seeds, self._rows(self._connect(), seeds, allowed)

    def _lexical(
        self,
        conn: sqlite3.Connection,
        terms: list[str],
        filters: SearchFilters,
        allowed: np.ndarray | None,
        limit: int,
    ) -> dict[int, float]:
        """BM25 (higher is better) of the best `limit` chunks under the filters, best first.

        One FTS5 pass ranks every match; asking for more rows costs little, so the pool's
        lexical scores come from this list (a pool chunk missing from it scores below all).

        FTS5's BM25 reads every chunk a term matches (to count them, and to score them), and at
        a million chunks a common word ("budget", "meeting") matches hundreds of thousands:
        seconds. So once the corpus is larger than `bound_matches`, a term matching more
        chunks than that counts as common there (its weight in BM25 is near nothing anyway):
        the query is scored on its rarer terms only; a query of common words only takes the
        newest `bound_matches` chunks matching it (recent talk first), scored on term
        frequency. A corpus smaller than the bound, or a search within one meeting, is scored
        exactly as before.
        """
        if not terms:
            return {}
        fts, tokens = lexical_index(terms)  # one of two fixed table names
        lo = hi = None
        if allowed is not None and len(allowed):
            lo, hi = int(allowed.min()), int(allowed.max())
        common = self._common(conn, fts, tokens, lo, hi)
        rare = [t for t in tokens if t not in common]
        if rare:
            return self._bm25(conn, fts, rare, filters, lo, hi, limit)
        newest = self._bm25(
            conn, fts, tokens, filters, lo, hi, min(limit, self.bound_matches), newest=True
        )
        return _frequency_scores(conn, newest, tokens)

    def _common(
        self, conn: sqlite3.Connection, fts: str, tokens: list[str], lo: int | None, hi: int | None
    ) -> set[str]:
        """The tokens matching more than `bound_matches` chunks (each counted only that far)."""
        if (conn.execute(f"SELECT max(rowid) FROM {fts}").fetchone()[0] or 0) <= self.bound_matches:
            return set()
        where, args = self._rowid_range(fts, lo, hi)
        common = set()
        for token in tokens:
            (count,) = conn.execute(
                f"SELECT count(*) FROM (SELECT 1 FROM {fts} WHERE {fts} MATCH ?{where} LIMIT ?)",
                [fts_query([token]), *args, self.bound_matches + 1],
            ).fetchone()
            if count > self.bound_matches:
                common.add(token)
        return common

    @staticmethod
    def _rowid_range(fts: str, lo: int | None, hi: int | None) -> tuple[str, list[int]]:
        clauses, args = [], []
        if lo is not None:
            clauses.append(f" AND {fts}.rowid >= ?")
            args.append(lo)
        if hi is not None:
            clauses.append(f" AND {fts}.rowid <= ?")
            args.append(hi)
        return "".join(clauses), args

    def _bm25(
        self,
        conn: sqlite3.Connection,
        fts: str,
        tokens: list[str],
        filters: SearchFilters,
        lo: int | None,
        hi: int | None,
        limit: int,
        newest: bool = False,
    ) -> dict[int, float]:
        """BM25 of the best `limit` chunks matching `tokens` under the filters, within rowids
        `lo`..`hi` (None: unbounded), best first; `newest`: the newest `limit`, unscored."""
        args: list = [fts_query(tokens)]
        score = "0.0" if newest else f"-bm25({fts})"
        if filters == SearchFilters():  # no join needed: the FTS table alone is fastest
            sql = f"SELECT rowid, {score} FROM {fts} WHERE {fts} MATCH ?"
        else:
            where, params = q.filter_sql(filters.model_copy(update={"speaker": None}))
            sql = (
                f"SELECT c.id, {score} FROM {fts}"
                f" JOIN chunks c ON c.id = {fts}.rowid JOIN meetings m ON m.id = c.meeting_id"
                f" WHERE {fts} MATCH ? AND {where}"
            )
            args += params
            if filters.speaker:
                clause, extra = q.speaker_sql(filters.speaker)
                sql += f" AND {clause}"
                args += extra
        # FTS5 narrows a rowid range itself (one meeting's chunks are consecutive).
        where, extra = self._rowid_range(fts, lo, hi)
        sql += where
        args += extra
        sql += f" ORDER BY {fts}.rowid DESC LIMIT ?" if newest else f" ORDER BY bm25({fts}) LIMIT ?"
        args.append(limit)
        return {int(r[0]): float(r[1]) for r in conn.execute(sql, args)}

    @staticmethod
    def _rows(
        conn: sqlite3.Connection, seeds: set[int], allowed: np.ndarray | None
    ) -> dict[int, tuple]:
        """Rows of the seeds and of their neighbours (ids ±1), as far as allowed, by id."""
        wanted = sorted(seeds | {s - 1 for s in seeds} | {s + 1 for s in seeds})
        if allowed is not None:
            wanted = [int(i) for i in np.intersect1d(wanted, allowed)]
        rows: dict[int, tuple] = {}
        for start in range(0, len(wanted), 500):
            part = wanted[start : start + 500]
            for row in conn.execute(
                "SELECT id, meeting_id, vector, text, speakers FROM chunks"
                f" WHERE id IN ({','.join('?' * len(part))}) AND vector IS NOT NULL",
                part,
            ):
                rows[row[0]] = tuple(row)
        return rows

    def _pool(self, seeds: set[int], by_id: dict[int, tuple]) -> _Pool | None:
        """The seeds and their neighbours in the same meeting, in id order, from their rows."""
        if not seeds:
            return None
        rows = [by_id[i] for i in sorted(by_id)]
        # A neighbour id can belong to the next meeting; keep it only if a seed is beside it.
        meeting_of = {r[0]: r[1] for r in rows}
        rows = [
            r
            for r in rows
            if r[0] in seeds
            or meeting_of.get(r[0] - 1) == r[1]
            and r[0] - 1 in seeds
            or meeting_of.get(r[0] + 1) == r[1]
            and r[0] + 1 in seeds
        ]
        if not rows:
            return None
        vectors = np.vstack([np.frombuffer(r[2], dtype=np.float32) for r in rows])
        if vectors.shape[1] != self._embedder.dim:  # stale vectors of another model
            return None
        return _Pool(
            ids=np.array([r[0] for r in rows], dtype=np.int64),
            meeting_ids=np.array([r[1] for r in rows], dtype=np.int64),
            vectors=vectors,
            texts=[r[3] for r in rows],
            speakers=[json.loads(r[4]) for r in rows],
        )

    # ------------------------------------------------------------------ scoring

    def _score(
        self,
        pool: _Pool,
        query: str,
        bm25: dict[int, float],
        vector: np.ndarray,
        speaker_filtered: bool,
    ) -> np.ndarray:
        w = self.weights
        dense = pool.vectors @ np.asarray(vector, dtype=np.float32)
        matched = np.array([int(cid) in bm25 for cid in pool.ids], dtype=bool)
        lexical = np.array([bm25.get(int(cid), 0.0) for cid in pool.ids])
        fused = w.dense * rank.standardise(dense) + (1 - w.dense) * rank.standardise(
            lexical, matched
        )

        if not speaker_filtered and w.speaker:
            present = sorted({s for names in pool.speakers for s in names})
            named = set(named_speakers(query, present))
            if named:
                fused = fused + w.speaker * np.array(
                    [rank.speaker_share(text, named) for text in pool.texts]
                )

        left, right = _neighbours(pool)
        return rank.smooth(fused, left, right, w.neighbours)

    # ------------------------------------------------------------------ results

    def _hits(
        self, conn: sqlite3.Connection, pool: _Pool, scores: np.ndarray, top: list[int]
    ) -> list[SearchHit]:
        chunks = q.get_chunks(conn, [int(pool.ids[i]) for i in top])
        meetings = {}
        hits = []
        for i in top:
            chunk = chunks.get(int(pool.ids[i]))
            if chunk is None:  # deleted between the two reads
                continue
            if chunk.meeting_id not in meetings:
                try:
                    meetings[chunk.meeting_id] = q.get_meeting(conn, chunk.meeting_id)
                except MeetingNotFound:  # deleted between the two reads, too
                    continue
            meeting = meetings[chunk.meeting_id]
            hits.append(
                SearchHit(
                    meeting_id=meeting.id,
                    title=meeting.title,
                    date=meeting.date,
                    kind=meeting.kind,
                    chunk_id=int(pool.ids[i]),
                    turn_start=chunk.turn_start,
                    turn_end=chunk.turn_end,
                    start_s=chunk.start_s,
                    end_s=chunk.end_s,
                    speakers=chunk.speakers,
                    text=chunk.text,
                    score=round(float(scores[i]), 4),
                )
            )
        return hits
