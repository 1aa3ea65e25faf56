"""Benchmark the offline extractor on AMI dev against the annotators' summary evidence.

    .venv/bin/python -m bench.extract_ami      # prints a Markdown table, writes JSON results

Runs the PRODUCT `OfflineExtractor.extract` on each dev meeting (one Turn per AMI utterance,
speaker = role) and scores per kind (decisions, actions, problems -> parking):
precision = items whose evidence overlaps in time a gold evidence utterance of a summary
sentence of the same kind / items; recall = gold sentences (with evidence) matched by an item /
all of them. The baseline is plain LR on MiniLM embeddings of each utterance and its two
neighbours, top-k per meeting (k = mean gold sentences per train meeting), one turn per item.
"""

from __future__ import annotations

import json
import time
from datetime import date
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from assistant.extract.features import split_units
from assistant.extract.offline import OfflineExtractor
from assistant.extract.unit_model import DEFAULT_WEIGHTS, Weights, select_groups
from assistant.models import ItemKind, Meeting
from bench.ami import (
    ROOT,
    AmiMeeting,
    CachedEmbedder,
    KindScore,
    load_meetings,
    score_items,
    set_threads,
)

KINDS = (ItemKind.decision, ItemKind.action, ItemKind.parking)
LABEL = {ItemKind.decision: "decisions", ItemKind.action: "actions", ItemKind.parking: "problems"}
RESULTS = ROOT / "bench" / "results" / "extract_ami.json"


def run_offline(dev: list[AmiMeeting], embedder: CachedEmbedder) -> dict[ItemKind, KindScore]:
    extractor = OfflineExtractor(embedder=embedder)
    totals = {k: KindScore() for k in KINDS}
    for number, ami in enumerate(dev, start=1):
        turns = ami.turns()
        meeting = Meeting(id=number, title=ami.id, date=date(2026, 10, 6))
        result = extractor.extract(meeting, turns, goals=[])
        for kind in KINDS:
            items = [[e.turn_index for e in it.evidence] for it in result.items if it.kind == kind]
            totals[kind].add(score_items(ami, kind, items))
    return totals


def run_random_control(dev: list[AmiMeeting], seed: int = 0) -> dict[ItemKind, KindScore]:
    """Random unit scores through the product's selection and grouping (its tuned settings).

    Shows how much of the F1 comes from the grouping alone (5 evidence turns spread over the
    discussion) rather than from the model's scores.
    """
    weights = Weights.load(DEFAULT_WEIGHTS)
    rng = np.random.default_rng(seed)
    totals = {k: KindScore() for k in KINDS}
    for ami in dev:
        units = split_units(ami.turns(), weights.meta.get("split_min_words", 25))
        for kind in KINDS:
            p = rng.random(len(units))
            groups = select_groups(p, units, weights.params[kind])
            items = [sorted({units[m].turn_index for m in members}) for _, members in groups]
            totals[kind].add(score_items(ami, kind, items))
    return totals


def neighbour_features(emb: np.ndarray) -> np.ndarray:
    prev = np.vstack([np.zeros((1, emb.shape[1]), emb.dtype), emb[:-1]])
    nxt = np.vstack([emb[1:], np.zeros((1, emb.shape[1]), emb.dtype)])
    return np.hstack([prev, emb, nxt])


def run_baseline(
    train: list[AmiMeeting], dev: list[AmiMeeting], embedder: CachedEmbedder
) -> dict[ItemKind, KindScore]:
    def feats(meetings):
        return [neighbour_features(embedder.embed_batch(m.texts)) for m in meetings]

    x_train, x_dev = feats(train), feats(dev)
    totals = {k: KindScore() for k in KINDS}
    for kind in KINDS:
        y = np.concatenate([m.labels(kind) for m in train])
        model = LogisticRegression(C=1.0, max_iter=400, random_state=0).fit(np.vstack(x_train), y)
        k = max(1, round(np.mean([sum(g.kind == kind for g in m.gold) for m in train])))
        for ami, x in zip(dev, x_dev, strict=True):
            top = np.argsort(-model.decision_function(x))[:k]
            totals[kind].add(score_items(ami, kind, [[int(i)] for i in top]))
    return totals


def table(results: dict[str, dict[str, dict]]) -> str:
    lines = [
        "| system | kind | precision | recall | F1 | items | gold sentences | evidence/item |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for system, kinds in results.items():
        for kind, r in kinds.items():
            lines.append(
                f"| {system} | {kind} | {r['precision']:.3f} | {r['recall']:.3f} | "
                f"**{r['f1']:.3f}** | {r['items']} | {r['gold_sentences']} | "
                f"{r['evidence_per_item']:.2f} |"
            )
    return "\n".join(lines)


def main() -> None:
    set_threads(2)
    t0 = time.time()
    embedder = CachedEmbedder()
    dev = load_meetings("dev")
    train = load_meetings("train")
    offline = run_offline(dev, embedder)
    seconds = time.time() - t0
    baseline = run_baseline(train, dev, embedder)
    control = run_random_control(dev)
    if embedder.dirty:
        embedder.save()
    results = {
        OfflineExtractor.name: {LABEL[k]: offline[k].as_dict() for k in KINDS},
        "baseline (LR, utterance+2 neighbours, top-k)": {
            LABEL[k]: baseline[k].as_dict() for k in KINDS
        },
        "control (random scores, the unit classifier's v2 selection and grouping)": {
            LABEL[k]: control[k].as_dict() for k in KINDS
        },
    }
    print(table(results))
    print(
        f"\n{len(dev)} AMI dev meetings; offline extractor run: {seconds:.0f}s (cached embeddings)"
    )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    payload = {"split": "dev", "meetings": len(dev), "results": results}
    Path(RESULTS).write_text(json.dumps(payload, indent=2) + "\n")
    print(f"wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
