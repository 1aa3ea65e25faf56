"""Train the offline extractor's second unit classifier, on the business set's dev series.

    .venv/bin/python -m bench.train_business_units     # writes weights/units_business.npz

The first unit classifier (`weights/offline_v2.npz`, bench/train_extractor.py) learned AMI's
product meetings. This script first measures it against the same model (same features,
`features.build_features`; one logistic regression per kind, balanced classes) trained on the
business set's other dev series, leaving each series out in turn: the average precision with
which each ranks the held-out series' units (a writer it never saw). A unit is a positive of a
kind when it is said in a turn of a gold item of that kind (new in that meeting) and overlaps
one of its quotes. Then it fits the model on all dev series and writes it. Only dev series are
read. Results: `bench/results/units_across_writers.json`, BENCHMARKS.md.

The item scorer (bench/train_items.py) reads its scores on the leaders' own meetings (weekly
syncs, 1:1s, QBRs), trained on scores from models that did not see the series being scored
(`fold_weights`), so it learns how far to trust them on a new writer.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score

from assistant.embed import Embedder, MiniLMEmbedder, embed_texts
from assistant.extract.features import SPLIT_MIN_WORDS, Unit, build_features, split_units
from assistant.extract.unit_model import (
    BUSINESS_WEIGHTS,
    DEFAULT_WEIGHTS,
    KindParams,
    Weights,
    feature_spec,
    unit_scores,
)
from assistant.ingest import parse_transcript
from assistant.models import ItemKind
from bench import business as biz
from bench.ami import set_threads
from bench.common import CachedEmbedder, results_path, write_results

KINDS = (ItemKind.decision, ItemKind.action)
C = 0.003  # the best leave-one-series-out average precision of the grid below
SeriesUnits = tuple[np.ndarray, dict[ItemKind, np.ndarray]]


def _positive(unit: Unit, golds: list[tuple[set[int], str]]) -> bool:
    said = biz.norm(unit.text)
    return any(unit.turn_index in turns and (q in said or said in q) for turns, q in golds)


def series_units(name: str, embedder: Embedder) -> SeriesUnits:
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


def fit(data: list[SeriesUnits], c: float = C, names: list[str] | None = None) -> Weights:
    """One logistic model per kind over the units of `data`, in the unit classifier's format."""
    x = np.vstack([f for f, _ in data])
    mu, sigma = x.mean(axis=0), x.std(axis=0) + 1e-6
    coef, intercept = {}, {}
    for kind in KINDS:
        model = LogisticRegression(C=c, max_iter=3000, class_weight="balanced")
        model.fit((x - mu) / sigma, np.concatenate([labels[kind] for _, labels in data]))
        coef[kind] = model.coef_[0].astype(np.float32)
        intercept[kind] = float(model.intercept_[0])
    # The file format carries selection settings: the AMI model's (its peaks are not used).
    ami = Weights.load(DEFAULT_WEIGHTS).params
    meta = {
        "version": "business-units:v1",
        **feature_spec(),
        "split_min_words": SPLIT_MIN_WORDS,
        "trained_on": "business dev series: " + ", ".join(names or []),
        "c": c,
    }
    params = {k: KindParams(**vars(ami[k])) for k in KINDS}
    return Weights(mu.astype(np.float32), sigma.astype(np.float32), coef, intercept, params, meta)


def fold_weights(embedder: Embedder) -> dict[str, Weights]:
    """For each dev series, the model trained on all the others (for out-of-series scores)."""
    data = {name: series_units(name, embedder) for name in biz.DEV_SERIES}
    return {
        name: fit([d for o, d in data.items() if o != name], names=[o for o in data if o != name])
        for name in data
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--c", type=float, nargs="*", default=[0.001, C, 0.01])
    parser.add_argument("--dry-run", action="store_true", help="do not write the weights")
    args = parser.parse_args()
    set_threads(2)
    t0 = time.time()
    embedder = CachedEmbedder(MiniLMEmbedder())
    data = {name: series_units(name, embedder) for name in biz.DEV_SERIES}
    ami = Weights.load(DEFAULT_WEIGHTS)
    # Each series scored by the AMI model and by models fitted on the other series.
    scored = {}
    for name, (x_held, _) in data.items():
        others = [o for o in data if o != name]
        held = [fit([data[o] for o in others], c) for c in args.c]
        scored[name] = [unit_scores(x_held, w) for w in [ami, *held]]
    results: dict[str, dict] = {}
    for kind in KINDS:
        print(
            f"\n{kind.value}: average precision on each series' units, by models that never saw it"
        )
        cols = ["AMI model"] + [f"other series, C={c}" for c in args.c]
        print("| series | units | positive | " + " | ".join(cols) + " |")
        rows = {}
        for name, (x_held, labels) in data.items():
            aps = [average_precision_score(labels[kind], s[kind]) for s in scored[name]]
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
    if not args.dry_run:
        fit(list(data.values()), names=list(data)).save(BUSINESS_WEIGHTS)
        print(f"wrote {BUSINESS_WEIGHTS} ({BUSINESS_WEIGHTS.stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    main()
