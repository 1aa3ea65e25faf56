"""Search stays bounded at scale: a common word is scored over the newest matches only, while a
rare word still finds its passage however old; the IVF index keeps finding neighbours."""

from __future__ import annotations

import json
from datetime import date

import numpy as np

from assistant.models import SearchFilters
from assistant.vectors import VectorIndex

FILLER = (
    "We went through the numbers line by line and compared them with last quarter, and then we"
    " talked about what the teams need next month, who owns which part, and when we meet again."
)


def _turn(text: str) -> dict:
    return {"speaker": "Priya Shah", "text": " ".join([text] + [FILLER] * 4)}  # one chunk each


def _ingest(liaison, texts: list[str], day: date) -> int:
    data = json.dumps([_turn(t) for t in texts]).encode()
    outcome = liaison.ingest_bytes(data, f"{day}.json", title=f"Sync {day}", day=day)
    assert outcome.ok, outcome.error
    return outcome.meeting.id


def _chunk_ids(liaison, meeting_id: int, word: str) -> set[int]:
    rows = liaison.db.connect().execute(
        "SELECT id FROM chunks WHERE meeting_id = ? AND text LIKE ?", (meeting_id, f"%{word}%")
    )
    return {r[0] for r in rows}


def test_a_common_word_is_scored_over_the_newest_matches_and_a_rare_one_everywhere(liaison):
    old = _ingest(
        liaison,
        ["Vendor Zephyrion wants the budget signed.", "The budget for spring is tight."],
        date(2026, 9, 1),
    )
    newer = [
        _ingest(liaison, [f"The budget line {i} for {day} moved." for i in range(4)], day)
        for day in (date(2026, 10, 6), date(2026, 10, 13))
    ]
    searcher = liaison.searcher
    conn = liaison.db.connect()
    every_budget = _chunk_ids(liaison, old, "budget") | {
        c for m in newer for c in _chunk_ids(liaison, m, "budget")
    }
    assert len(every_budget) == 10

    # Below the bound: every match is scored, as always.
    assert set(searcher._lexical(conn, ["budget"], SearchFilters(), None, 300)) == every_budget

    searcher.bound_matches = 5
    scored = set(searcher._lexical(conn, ["budget"], SearchFilters(), None, 300))
    assert scored == set(sorted(every_budget)[-5:])  # the newest five matches

    # The rare word is scored everywhere: the old passage is still found, and ranks first.
    scored = searcher._lexical(conn, ["budget", "zephyrion"], SearchFilters(), None, 300)
    assert next(iter(scored)) in _chunk_ids(liaison, old, "Zephyrion")
    hits = liaison.search("Zephyrion budget", k=3)
    assert "Zephyrion" in hits[0].text

    # Within one old meeting the word is not common: all of its matches are scored.
    hits = liaison.search("budget", SearchFilters(meeting_id=old), k=5)
    assert {h.chunk_id for h in hits} >= _chunk_ids(liaison, old, "budget")


def test_the_approximate_index_finds_what_the_exact_one_finds():
    rng = np.random.default_rng(3)
    topics = rng.normal(size=(40, 32))  # text vectors cluster by topic
    vectors = (topics[rng.integers(0, 40, 4000)] + 0.5 * rng.normal(size=(4000, 32))).astype(
        np.float32
    )
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    ids = np.arange(1, 4001)
    exact, approx = VectorIndex(32, ann_threshold=10_000), VectorIndex(32, ann_threshold=1000)
    exact.build(ids, vectors)
    approx.build(ids, vectors.astype(np.float16))  # a rebuild at scale reads them so
    assert approx.approximate and not exact.approximate
    queries = vectors[:50] + 0.3 * rng.normal(size=(50, 32)).astype(np.float32)
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)
    overlap = [
        len({c for c, _ in exact.search(q, 10)} & {c for c, _ in approx.search(q, 10)}) / 10
        for q in queries
    ]
    assert np.mean(overlap) >= 0.9
    # Filtered and by-id reads work on the float16 index too.
    assert {c for c, _ in approx.search(vectors[9], 3, np.array([10, 11, 12]))} == {10, 11, 12}


def test_the_query_is_embedded_while_the_full_text_pass_runs(liaison):
    """At a million chunks embedding the query and the FTS5 pass take ~7 ms each: they overlap.
    The embedder here can only finish once the full-text query has started, so a search that
    embedded first and searched words after would wait out the timeout and fail."""
    import threading

    from assistant.search import HybridSearcher

    _ingest(liaison, ["Vendor Zephyrion wants the budget signed."], date(2026, 9, 1))
    conn = liaison.db.connect()
    full_text_started = threading.Event()

    class EmbedsDuringFullText:
        name, dim = liaison.embedder.name, liaison.embedder.dim

        def embed_batch(self, texts):
            assert full_text_started.wait(5), "the query was embedded before the FTS5 pass"
            return liaison.embedder.embed_batch(texts)

    def trace(sql: str) -> None:
        if " MATCH " in sql:
            full_text_started.set()

    conn.set_trace_callback(trace)
    try:
        searcher = HybridSearcher(liaison.db.connect, liaison.index, EmbedsDuringFullText())
        hits = searcher.search("Zephyrion budget", k=3)
    finally:
        conn.set_trace_callback(None)
    assert "Zephyrion" in hits[0].text


def test_common_words_rank_chunks_by_how_often_they_say_them():
    """The term-frequency score of common-word queries: a word counts when it starts like the
    query term (the index stems), anywhere else in a word it does not; longer chunks weigh
    each mention less."""
    import sqlite3

    from assistant.search import _frequency_scores

    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE chunks (id INTEGER PRIMARY KEY, text TEXT)")
    texts = {
        1: "Ann: the budget, budgets and budgeting.",
        2: "Ann: the budget.",
        3: "Ann: overbudget and the_budget, not ours.",
        4: "Ann: the budget. " + "More words here. " * 10,
    }
    conn.executemany("INSERT INTO chunks VALUES (?, ?)", texts.items())
    scores = _frequency_scores(conn, dict.fromkeys(texts, 0.0), ["budget"])
    assert list(scores) == [1, 2, 4, 3]
    assert scores[3] == 0.0
    assert scores[1] > scores[2] > scores[4] > 0
