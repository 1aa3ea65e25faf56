"""How well does a unit classifier rank the units of a meeting by a writer it never saw?

    .venv/bin/python -m bench.units_across_writers

The offline extractor's unit classifier (`weights/offline_v2.npz`, bench/train_extractor.py)
learned AMI's product meetings. This measures it against the same model (same features,
`features.build_features`; one logistic regression per kind, balanced classes) trained on the
business set's other dev series, leaving each series out in turn: the average precision with
which each ranks the held-out series' units. A unit is a positive of a kind when it is said in
a turn of a gold item of that kind (new in that meeting) and overlaps one of its quotes. Only
dev series are read. Results: `bench/results/units_across_writers.json`, BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score

from assistant.embed import Embedder, MiniLMEmbedder, embed_texts
from assistant.extract.features import SPLIT_MIN_WORDS, Unit, build_features, split_units
from assistant.extract.unit_model import DEFAULT_WEIGHTS, Weights, unit_scores
from assistant.ingest import parse_transcript
from assistant.models import ItemKind
from bench import business as biz
from bench.ami import set_threads
from bench.common import CachedEmbedder, results_path, write_results

KINDS = (ItemKind.decision, ItemKind.action)


def _positive(unit: Unit, golds: list[tuple[set[int], str]]) -> bool:
    said = biz.norm(unit.text)
    return any(unit.turn_index in turns and (q in said or said in q) for turns, q in golds)


def series_units(name: str, embedder: Embedder) -> tuple[np.ndarray, dict[ItemKind, np.ndarray]]:
    """Features of every unit of a dev series' meetings, and per-kind labels."""
    series = biz.load_series(biz.DATA_DIR / name)
    feats, labels = [], {k: [] for k in KINDS}
    for gm in series.meetings:
        turns = parse_transcript((series.folder / gm.file).read_bytes(), gm.file).turns
        biz.map_quotes(gm, turns)
        units = split_units(turns, SPLIT_MIN_WORDS)
        feats.append(build_features(units, embed_texts(embedder, [u.text for u in units], 512)))
        for kind in KINDS:
            golds = [(g.turns, biz.norm(q)) for g in gm.items if g.kind == kind for q in g.quotes]
            labels[kind].append(np.array([_positive(u, golds) for u in units], dtype=np.int8))
    return np.vstack(feats), {k: np.concatenate(v) for k, v in labels.items()}


def held_out_scores(x: np.ndarray, y: np.ndarray, x_held: np.ndarray, c: float) -> np.ndarray:
    mu, sigma = x.mean(axis=0), x.std(axis=0) + 1e-6
    model = LogisticRegression(C=c, max_iter=3000, class_weight="balanced")
    model.fit((x - mu) / sigma, y)
    return model.predict_proba((x_held - mu) / sigma)[:, 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--c", type=float, nargs="*", default=[0.001, 0.003, 0.01])
    args = parser.parse_args()
    set_threads(2)
    t0 = time.time()
    embedder = CachedEmbedder(MiniLMEmbedder())
    data = {name: series_units(name, embedder) for name in biz.DEV_SERIES}
    ami = Weights.load(DEFAULT_WEIGHTS)
    results: dict[str, dict] = {}
    for kind in KINDS:
        print(
            f"\n{kind.value}: average precision on each series' units, by models that never saw it"
        )
        cols = ["AMI model"] + [f"other series, C={c}" for c in args.c]
        print("| series | units | positive | " + " | ".join(cols) + " |")
        rows = {}
        for name, (x_held, labels) in data.items():
            others = [o for o in data if o != name]
            x = np.vstack([data[o][0] for o in others])
            y = np.concatenate([data[o][1][kind] for o in others])
            aps = [average_precision_score(labels[kind], unit_scores(x_held, ami)[kind])]
            aps += [
                average_precision_score(labels[kind], held_out_scores(x, y, x_held, c))
                for c in args.c
            ]
            rows[name] = {"units": len(x_held), "positive": int(labels[kind].sum()), "ap": aps}
            cells = " | ".join(f"{v:.3f}" for v in aps)
            print(f"| {name} | {len(x_held)} | {int(labels[kind].sum())} | {cells} |")
        mean = np.mean([r["ap"] for r in rows.values()], axis=0).round(3).tolist()
        print("| mean | | | " + " | ".join(f"{v:.3f}" for v in mean) + " |")
        results[kind.value] = {"columns": cols, "series": rows, "mean": mean}
    write_results(
        results_path("units_across_writers"),
        {"seconds": round(time.time() - t0, 1), "c": args.c, "results": results},
    )


if __name__ == "__main__":
    main()
