"""Does the ONNX Runtime MiniLM keep quality? The same benchmarks with each backend, side by side.

    .venv/bin/python -m bench.embed_quality [--skip-extract]

1. Vectors: cosine between the two backends' vectors of every QMSum val chunk.
2. Search (QMSum val, bench/search_qmsum.py's corpus and scoring): hit@1, hit@5, MRR@10 of the
   full hybrid search with each backend, and the top-10 overlap between the backends' rankings
   for every query, for the hybrid ranking and for the dense index alone over all chunks.
3. Extraction (the business dev series, bench/extract_business.py's scoring): precision, recall,
   F1 per kind and the tracking figures, the offline extractor fed by each backend.

The ONNX side embeds everything afresh (no cache). The PyTorch side reads bench/.cache, the
vectors sentence-transformers made for the committed benchmark results, and embeds on PyTorch
what is not there (on a shared 2-core machine embedding both sides afresh took over an hour).
Bars (issue 12): top-10 overlap >= 0.95, hit@5 and MRR within 0.005, extraction within 0.005.
Writes bench/results/embed_quality.json.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np

from assistant.config import Settings
from assistant.embed import MiniLMEmbedder
from assistant.service import Liaison
from bench.common import RESULTS_DIR, CachedEmbedder, NoItemsExtractor, write_results

BACKENDS = ("onnx", "torch")


def embedder(backend: str):
    if backend == "torch":
        return CachedEmbedder(MiniLMEmbedder(backend="torch"))
    return MiniLMEmbedder(backend="onnx")


def _overlap(a: list[int], b: list[int]) -> float:
    return len(set(a[:10]) & set(b[:10])) / max(1, min(10, len(a), len(b)))


def search_quality() -> dict:
    from bench import search_qmsum as qm

    meetings, queries = qm.load_meetings(), qm.load_queries()
    corpora, rankings, dense, seconds = {}, {}, {}, {}
    with tempfile.TemporaryDirectory(prefix="liaison-embq-") as tmp:
        for backend in BACKENDS:
            started = time.perf_counter()
            model = embedder(backend)
            liaison = Liaison(
                Settings(home=Path(tmp) / backend), embedder=model, extractor=NoItemsExtractor()
            )
            corpus = qm.Corpus(liaison, meetings)
            seconds[backend] = round(time.perf_counter() - started, 1)
            corpora[backend] = corpus
            rankings[backend] = [
                qm.liaison_ranking(corpus, q["query"], corpus.meeting_ids[q["meeting_id"]])[:10]
                for q in queries
            ]
            index = liaison.index()
            vectors = model.embed_batch([q["query"] for q in queries])
            dense[backend] = [[cid for cid, _ in index.search(v, 10)] for v in vectors]
        scores = {b: qm.evaluate(corpora[b], queries, qm.liaison_ranking) for b in BACKENDS}
        conns = {b: corpora[b].liaison.db.connect() for b in BACKENDS}
        rows = {
            b: conns[b].execute("SELECT id, text, vector FROM chunks ORDER BY id").fetchall()
            for b in BACKENDS
        }
        assert [r[1] for r in rows["torch"]] == [r[1] for r in rows["onnx"]], "same chunks"
        a, b = (np.vstack([np.frombuffer(r[2], np.float32) for r in rows[x]]) for x in BACKENDS)
        cosine = (a * b).sum(axis=1)
        for corpus in corpora.values():
            corpus.liaison.db.close()
    hybrid = [_overlap(x, y) for x, y in zip(rankings["torch"], rankings["onnx"], strict=True)]
    flat = [_overlap(x, y) for x, y in zip(dense["torch"], dense["onnx"], strict=True)]
    return {
        "queries": len(queries),
        "chunks": len(cosine),
        "chunk_cosine": {
            "min": round(float(cosine.min()), 6),
            "mean": round(float(cosine.mean()), 6),
        },
        "top10_overlap_hybrid": round(float(np.mean(hybrid)), 4),
        "top10_overlap_dense_all_chunks": round(float(np.mean(flat)), 4),
        "scores": scores,
        "delta_onnx_minus_torch": {
            m: round(scores["onnx"][m] - scores["torch"][m], 4)
            for m in ("hit@1", "hit@5", "mrr@10")
        },
        "build_s": seconds,
    }


def extract_quality() -> dict:
    from bench import extract_business as eb

    names = [s for s in eb.DEV_SERIES if (eb.DATA_DIR / s / "series.yaml").exists()]
    out = {}
    for backend in BACKENDS:
        started = time.perf_counter()
        model = embedder(backend)
        results = {
            n: eb.run_series(eb.load_series(eb.DATA_DIR / n), "offline", model) for n in names
        }
        _, per_split = eb.summarise(results, {n: eb.split_of(n) for n in names})
        out[backend] = {**per_split["dev"], "seconds": round(time.perf_counter() - started, 1)}

    def flat(figures: dict) -> dict[str, float]:
        values = {
            f"{kind}.{m}": v
            for kind, counts in figures["kinds"].items()
            for m, v in counts.items()
            if m in ("precision", "recall", "f1")
        }
        values.update(
            {
                k: v
                for k, v in figures["tracking"].items()
                if k.endswith("accuracy") and v is not None
            }
        )
        return values

    torch_flat, onnx_flat = flat(out["torch"]), flat(out["onnx"])
    delta = {k: round(onnx_flat[k] - torch_flat[k], 4) for k in torch_flat if k in onnx_flat}
    return {
        "series": names,
        "figures": out,
        "delta_onnx_minus_torch": delta,
        "max_abs_delta": max((abs(v) for v in delta.values()), default=0.0),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--skip-extract", action="store_true")
    parser.add_argument("--out", type=Path, default=RESULTS_DIR / "embed_quality.json")
    args = parser.parse_args()
    result: dict = {"search": search_quality()}
    print(result["search"], flush=True)
    if not args.skip_extract:
        result["extract_business_dev"] = extract_quality()
        print(result["extract_business_dev"]["delta_onnx_minus_torch"], flush=True)
    write_results(args.out, result)


if __name__ == "__main__":
    main()
