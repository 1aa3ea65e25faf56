"""How many true nearest neighbours the approximate (IVF) index finds, on real MiniLM vectors.

The speed benchmark uses random vectors, which say nothing about recall (and are the worst case
for an inverted-file index). Here the corpus is real: the MiniLM vectors of AMI utterances cached
by bench/ami.py, grown to the target size by adding small noise to copies (each copy a
paraphrase-like neighbour of its original), with held-out utterances as queries. Recall@10 =
share of the exact top-10 (flat inner product) that `VectorIndex` returns in IVF mode.

    python -m bench.ivf_recall [--sizes 100000 1000000] [--queries 300]
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np

from assistant.vectors import VectorIndex
from bench.common import RESULTS_DIR, machine

CACHE = RESULTS_DIR.parent / ".cache" / "emb-all-MiniLM-L6-v2.npz"


def corpus(size: int, base: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """`size` unit vectors: the real ones, then noisy copies of them."""
    out = np.empty((size, base.shape[1]), dtype=np.float32)
    done = 0
    while done < size:
        take = min(len(base), size - done)
        part = base[:take]
        if done:  # copies: cosine ~0.9 to their original
            part = part + rng.normal(scale=0.025, size=part.shape).astype(np.float32)
            part /= np.linalg.norm(part, axis=1, keepdims=True)
        out[done : done + take] = part
        done += take
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[100_000, 1_000_000])
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--nprobe", type=int, nargs="*", default=[24, 64])
    args = parser.parse_args()

    vectors = np.load(CACHE, allow_pickle=False)["vectors"].astype(np.float32)
    rng = np.random.default_rng(0)
    order = rng.permutation(len(vectors))
    queries, base = vectors[order[: args.queries]], vectors[order[args.queries :]]
    results = []
    for size in args.sizes:
        data = corpus(size, base, rng)
        ids = np.arange(size, dtype=np.int64)
        exact = VectorIndex(data.shape[1], ann_threshold=size + 1)
        exact.build(ids, data)
        approx = VectorIndex(data.shape[1], ann_threshold=1000)
        started = time.perf_counter()
        approx.build(ids, data)
        build_s = time.perf_counter() - started
        truths = [{cid for cid, _ in exact.search(q, 10)} for q in queries]
        for nprobe in args.nprobe:
            approx.nprobe = nprobe
            found, latencies = [], []
            for q, truth in zip(queries, truths, strict=True):
                t0 = time.perf_counter()
                got = {cid for cid, _ in approx.search(q, 10)}
                latencies.append(time.perf_counter() - t0)
                found.append(len(truth & got) / 10)
            row = {
                "size": size,
                "nlist": int(4 * np.sqrt(size)),
                "nprobe": nprobe,
                "recall@10": round(float(np.mean(found)), 3),
                "ivf_search_ms_p50": round(float(np.median(latencies)) * 1000, 2),
                "ivf_build_s": round(build_s, 1),
            }
            print(row, flush=True)
            results.append(row)
    out = {"machine": machine(), "queries": args.queries, "results": results}
    (RESULTS_DIR / "ivf_recall.json").write_text(json.dumps(out, indent=2) + "\n")


if __name__ == "__main__":
    main()
