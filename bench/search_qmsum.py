"""Passage retrieval on QMSum (validation split): Liaison's search against its baselines.

Every QMSum meeting goes in through the product path (`Liaison.ingest_bytes` of a generic JSON
transcript, real MiniLM embedder, an extractor that finds nothing). For each *specific* query we
search within its meeting; a hit is a returned chunk whose turns overlap a span the annotators
marked relevant. Methods, all on the same chunks in the same run:

- ``bm25``: SQLite FTS5 BM25 over the query's content words (OR), nothing else;
- ``dense``: MiniLM cosine between the raw query and each chunk;
- ``rrf``: reciprocal-rank fusion (k=60) of those two rankings;
- ``liaison``: `Liaison.search(query, SearchFilters(meeting_id=...), k=10)`;
- ablations: the same search with one part switched off, to show what each part buys.

The parser merges consecutive turns of one speaker, so stored turns are mapped back to QMSum
turn indexes by aligning the two word streams (exact). The latency column is ranking time with
the query vector already cached; real per-query latency is measured by bench/speed.py.

Run: ``.venv/bin/python -m bench.search_qmsum`` (first run embeds ~3,500 chunks; the vectors are
cached in bench/.cache/). Prints a Markdown table; writes bench/results/search_qmsum.json.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import numpy as np

from assistant.config import Settings
from assistant.embed import MiniLMEmbedder
from assistant.models import SearchFilters
from assistant.search import HybridSearcher
from assistant.service import Liaison
from bench.common import RESULTS_DIR, SHARED_DATA, CachedEmbedder, NoItemsExtractor, machine

QMSUM = SHARED_DATA / "qmsum"
DEPTH = 10  # ranks scored (MRR@10); baselines rank every chunk of the meeting
RRF_K = 60
# A standard English stopword list for the plain BM25 baseline (independent of the product's).
# fmt: off
BASELINE_STOPWORDS = frozenset("""
a about above after again against all am an and any are as at be because been before being
below between both but by can could did do does doing down during each few for from further had
has have having he her here hers herself him himself his how i if in into is it its itself just
me more most my myself no nor not now of off on once only or other our ours ourselves out over
own same she should so some such than that the their theirs them themselves then there these
they this those through to too under until up very was we were what when where which while who
whom why will with would you your yours yourself yourselves
""".split())
# fmt: on
_WORD = re.compile(r"[a-z0-9]+")


def load_meetings() -> dict[str, dict]:
    with open(QMSUM / "val.jsonl") as handle:
        return {m["meeting_id"]: m for m in map(json.loads, handle)}


def load_queries() -> list[dict]:
    with open(QMSUM / "queries_val.jsonl") as handle:
        queries = [json.loads(line) for line in handle]
    return [q for q in queries if q["type"] == "specific" and q["relevant_text_span"]]


def _turn_map(original: list[dict], stored: list) -> list[tuple[int, int]]:
    """For each stored turn, the range of QMSum turns it came from.

    The parser drops empty turns and merges consecutive turns of one speaker, joining their
    words with spaces, so aligning the two word streams maps every stored turn back exactly.
    """
    owner: list[int] = []
    for i, turn in enumerate(original):
        owner.extend([i] * len(turn["content"].split()))
    out, pos = [], 0
    for turn in stored:
        n = len(turn.text.split())
        if n == 0 or pos + n > len(owner):
            raise RuntimeError("stored turns do not align with the QMSum transcript")
        out.append((owner[pos], owner[pos + n - 1]))
        pos += n
    if pos != len(owner):
        raise RuntimeError("stored turns do not align with the QMSum transcript")
    return out


class Corpus:
    """The QMSum meetings ingested into one Liaison, with chunk → QMSum turn ranges."""

    def __init__(self, liaison: Liaison, meetings: dict[str, dict]):
        self.liaison = liaison
        self.meeting_ids: dict[str, int] = {}
        self.chunk_turns: dict[int, tuple[int, int]] = {}  # chunk id -> QMSum turns (incl.)
        self.chunks_of: dict[int, np.ndarray] = {}  # db meeting id -> chunk ids
        for name, meeting in meetings.items():
            turns = [
                {"speaker": t["speaker"], "text": t["content"]}
                for t in meeting["meeting_transcripts"]
            ]
            outcome = liaison.ingest_bytes(json.dumps(turns).encode(), f"{name}.json", title=name)
            if not outcome.ok or outcome.meeting is None:
                raise RuntimeError(f"{name}: {outcome.error}")
            mid = outcome.meeting.id
            self.meeting_ids[name] = mid
            mapping = _turn_map(meeting["meeting_transcripts"], liaison.meeting(mid).turns)
            rows = liaison.db.connect().execute(
                "SELECT id, turn_start, turn_end FROM chunks WHERE meeting_id = ? ORDER BY id",
                (mid,),
            )
            ids = []
            for cid, start, end in rows:
                self.chunk_turns[cid] = (mapping[start][0], mapping[end][1])
                ids.append(cid)
            self.chunks_of[mid] = np.array(ids, dtype=np.int64)

    def is_hit(self, chunk_id: int, spans: list[list[int]]) -> bool:
        lo, hi = self.chunk_turns[chunk_id]
        return any(lo <= b and a <= hi for a, b in spans)


# ----------------------------------------------------------------------------- baselines


def bm25_ranking(corpus: Corpus, query: str, meeting_id: int) -> list[int]:
    words = [w for w in _WORD.findall(query.lower()) if w not in BASELINE_STOPWORDS]
    if not words:
        return []
    match = " OR ".join(f'"{w}"' for w in dict.fromkeys(words))
    rows = corpus.liaison.db.connect().execute(
        "SELECT c.id FROM chunks_fts JOIN chunks c ON c.id = chunks_fts.rowid"
        " WHERE chunks_fts MATCH ? AND c.meeting_id = ? ORDER BY bm25(chunks_fts)",
        (match, meeting_id),
    )
    return [int(r[0]) for r in rows]


def dense_ranking(corpus: Corpus, query: str, meeting_id: int) -> list[int]:
    vector = corpus.liaison.embedder.embed_batch([query])[0]
    allowed = corpus.chunks_of[meeting_id]
    return [cid for cid, _ in corpus.liaison.index().search(vector, len(allowed), allowed)]


def rrf_ranking(corpus: Corpus, query: str, meeting_id: int) -> list[int]:
    scores: dict[int, float] = {}
    lexical = bm25_ranking(corpus, query, meeting_id)
    for ranking in (lexical, dense_ranking(corpus, query, meeting_id)):
        for rank, cid in enumerate(ranking):
            scores[cid] = scores.get(cid, 0.0) + 1.0 / (RRF_K + rank + 1)
    return sorted(scores, key=lambda c: -scores[c])


def liaison_ranking(corpus: Corpus, query: str, meeting_id: int) -> list[int]:
    hits = corpus.liaison.search(query, SearchFilters(meeting_id=meeting_id), k=DEPTH)
    return [h.chunk_id for h in hits]


def ablation(**changes) -> Callable[[Corpus, str, int], list[int]]:
    """Liaison's ranking with some weights changed (same pool, same code): what each part buys."""

    def rank_with(corpus: Corpus, query: str, meeting_id: int) -> list[int]:
        base = corpus.liaison.searcher
        searcher = HybridSearcher(
            corpus.liaison.db.connect,
            corpus.liaison.index,
            corpus.liaison.embedder,
            candidates=base.candidates,
            weights=replace(base.weights, **changes),
        )
        hits = searcher.search(query, SearchFilters(meeting_id=meeting_id), k=DEPTH)
        return [h.chunk_id for h in hits]

    return rank_with


METHODS: dict[str, Callable[[Corpus, str, int], list[int]]] = {
    "bm25": bm25_ranking,
    "dense": dense_ranking,
    "rrf": rrf_ranking,
    "liaison": liaison_ranking,
}
ABLATIONS: dict[str, Callable[[Corpus, str, int], list[int]]] = {
    "liaison, results not spread (repeat_penalty=0)": ablation(repeat_penalty=0.0),
    "liaison, no neighbour smoothing": ablation(neighbours=0.0),
    "liaison, no speaker share": ablation(speaker=0.0),
}


# ----------------------------------------------------------------------------- scoring


def evaluate(
    corpus: Corpus, queries: list[dict], rank: Callable[[Corpus, str, int], list[int]]
) -> dict:
    """hit@1, hit@5, MRR@10 and per-query latency of one ranking function."""
    hit1 = hit5 = rr = 0.0
    times = []
    for query in queries:
        meeting_id = corpus.meeting_ids[query["meeting_id"]]
        started = time.perf_counter()
        ranking = rank(corpus, query["query"], meeting_id)[:DEPTH]
        times.append(time.perf_counter() - started)
        first = next(
            (i for i, cid in enumerate(ranking) if corpus.is_hit(cid, query["relevant_text_span"])),
            None,
        )
        if first is not None:
            hit1 += first == 0
            hit5 += first < 5
            rr += 1.0 / (first + 1)
    n = len(queries)
    return {
        "hit@1": round(hit1 / n, 4),
        "hit@5": round(hit5 / n, 4),
        "mrr@10": round(rr / n, 4),
        "ms_p50": round(1000 * statistics.median(times), 1),
    }


def build(home: Path, meetings: dict[str, dict]) -> Corpus:
    settings = Settings(home=home, embedder="minilm")
    embedder = CachedEmbedder(MiniLMEmbedder())
    liaison = Liaison(settings, embedder=embedder, extractor=NoItemsExtractor())
    return Corpus(liaison, meetings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--threads", type=int, default=2, help="torch threads for MiniLM")
    parser.add_argument("--out", type=Path, default=RESULTS_DIR / "search_qmsum.json")
    args = parser.parse_args()

    import torch

    torch.set_num_threads(args.threads)
    meetings, queries = load_meetings(), load_queries()
    with tempfile.TemporaryDirectory(prefix="liaison-qmsum-") as tmp:
        started = time.perf_counter()
        corpus = build(Path(tmp), meetings)
        ingest_s = time.perf_counter() - started
        results = {name: evaluate(corpus, queries, fn) for name, fn in METHODS.items()}
        ablations = {name: evaluate(corpus, queries, fn) for name, fn in ABLATIONS.items()}
        chunks = len(corpus.chunk_turns)
        corpus.liaison.db.close()

    baselines = [r for n, r in results.items() if n != "liaison"]
    best = {m: max(r[m] for r in baselines) for m in ("hit@1", "hit@5", "mrr@10")}
    print(f"QMSum val: {len(meetings)} meetings, {len(queries)} specific queries, {chunks} chunks")
    print("\n| method | hit@1 | hit@5 | MRR@10 | p50 ms (vector cached) |\n|---|---|---|---|---|")
    for name, r in results.items():
        cells = [f"{r[m]:.3f}" for m in ("hit@1", "hit@5", "mrr@10")] + [str(r["ms_p50"])]
        print(f"| {name} | " + " | ".join(cells) + " |")
    for name, r in ablations.items():
        cells = [f"{r[m]:.3f}" for m in ("hit@1", "hit@5", "mrr@10")] + [str(r["ms_p50"])]
        print(f"| {name} | " + " | ".join(cells) + " |")
    gain = {m: round(results["liaison"][m] - best[m], 4) for m in best}
    print(f"\nliaison minus the best baseline on each measure: {gain}")
    payload = {
        "benchmark": "qmsum-val specific queries, within-meeting passage retrieval",
        "machine": machine(),
        "meetings": len(meetings),
        "queries": len(queries),
        "chunks": chunks,
        "chunk_target_words": Settings.model_fields["chunk_target_words"].default,
        "ingest_s": round(ingest_s, 1),
        "results": results,
        "ablations": ablations,
        "gain_over_best_baseline": gain,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(payload, indent=2) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
