"""Train the item scorer of the offline extractor on AMI, ethpm and the business set's dev part.

    .venv/bin/python -m bench.train_items          # writes assistant/extract/weights/items_v3.npz

The product's own `OfflineExtractor.score` gives every meeting's candidates (conversation
patterns and classifier peaks) and their features; this script only labels them and fits one
logistic regression per kind (decisions, actions; parking candidates are explicit deferrals,
too few to learn from, and are kept by how explicit they are). Labels, per corpus:

- AMI: the candidate's evidence overlaps (in time) a gold evidence utterance of its kind;
- ethpm: its headline is within 45 s of a listed decision / action of its kind (parking
  candidates are left out: the calls' summaries list no snags);
- business set: its headline is a turn a gold item of its kind (new in that meeting) is said in;
  candidates said in a turn that updates an earlier item are left out (the tracker handles them).

Splits (the held-out parts are never read here):

| corpus | trains on | thresholds tuned on | held out (benchmarks only) |
|---|---|---|---|
| AMI | train (98 meetings) | dev (20) | — (no AMI test split here) |
| ethpm | dev calls before 2026-03-25 | dev calls 2026-03-25 … 04-19 | test: from 2026-04-20 |
| business | the 9 dev series (`business.DEV_SERIES`) | the same | test, test2, test3, test5 |

Two scorers are written. The general one (`items_v3.npz`) never reads the business unit
classifier (its columns are blank). The leaders' one (`items_leaders.npz`, for weekly syncs,
1:1s and QBRs) reads it, on out-of-series scores (bench/train_business_units.py), and its
thresholds are tuned on the business series alone, each scored by a scorer fitted without it.

Each corpus weighs the same in training (sample weights). The general scorer's thresholds per
kind maximise, on the tuning parts, mean AMI F1 + mean business F1 + twice the mean ethpm recall
(capped at the issue's targets: the real calls are what this scorer reads most), with ethpm
held to at most 18 decision + action items per hour and AMI F1 penalised below 0.03 under v2's
figures. The leaders' thresholds maximise business F1 with precision held at 0.80.
"""

from __future__ import annotations

import argparse
import itertools
import time
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from sklearn.linear_model import LogisticRegression

from assistant.embed import MiniLMEmbedder
from assistant.extract.candidates import (
    BUSINESS_COLUMNS,
    ITEM_WEIGHTS,
    LEADERS_ITEM_WEIGHTS,
    PATTERNS,
    ItemScorer,
    untrained_scorer,
)
from assistant.extract.offline import OfflineExtractor, Scored
from assistant.ingest import parse_transcript
from assistant.models import DraftItem, ItemKind, Meeting, Turn
from bench import business as biz
from bench import extract_ethpm as eth
from bench.ami import KindScore, load_meetings, score_items, set_threads
from bench.common import CachedEmbedder
from bench.train_business_units import fold_weights

KINDS = (ItemKind.decision, ItemKind.action, ItemKind.parking)
ETH_TRAIN_BEFORE = date(2026, 3, 25)
ETH_LABEL_S = 45.0
MAX_ITEMS_PER_HOUR = 18.0
BIZ_PRECISION_FLOOR = 0.80
# Parking candidates are explicit deferrals only; AMI has almost none and the business dev set 9,
# too few to learn from (a fitted model gave every one p = 0.50): how explicit the words are
# decides, and only the threshold is tuned.
BY_STRENGTH = (ItemKind.parking,)
GRID = [round(x, 2) for x in np.arange(0.05, 0.96, 0.05)]


@dataclass
class Example:
    """One meeting, scored, with a label per candidate (None: left out of training)."""

    corpus: str  # "ami" | "eth" | "biz"
    part: str  # "train" | "tune"
    meeting: Meeting
    turns: list[Turn]
    scored: Scored
    labels: list[int | None]
    source: object = None  # AmiMeeting | eth.Call | (biz.GoldMeeting)
    series: str = ""  # the business series
    gold: dict = field(default_factory=dict)


def _turns_of(c, scored: Scored) -> list[int]:
    return sorted({scored.sentences[m].turn_index for m in c.units()})


def ami_examples(ex: OfflineExtractor) -> list[Example]:
    out = []
    for ami in load_meetings():
        turns = ami.turns()
        scored = ex.score(turns)
        labels: list[int | None] = [
            int(score_items(ami, c.kind, [_turns_of(c, scored)]).correct_items > 0)
            for c in scored.candidates
        ]
        part = "train" if ami.split == "train" else "tune"
        meeting = Meeting(id=0, title=ami.id, date=date(2026, 10, 6))
        out.append(Example("ami", part, meeting, turns, scored, labels, ami))
    return out


def eth_examples(ex: OfflineExtractor) -> list[Example]:
    out = []
    for call in eth.load_calls("dev"):
        turns = parse_transcript(call.vtt.read_bytes(), call.vtt.name).turns
        scored = ex.score(turns)
        labels: list[int | None] = []
        for c in scored.candidates:
            listed = {ItemKind.decision: call.decisions, ItemKind.action: call.actions}.get(c.kind)
            if listed is None:
                labels.append(None)
                continue
            head = turns[scored.sentences[c.head].turn_index]
            start = head.start_s if head.start_s is not None else -1e9
            end = head.end_s if head.end_s is not None else start
            near = any(max(0.0, start - g["t_s"], g["t_s"] - end) <= ETH_LABEL_S for g in listed)
            labels.append(int(near))
        part = "train" if call.day < ETH_TRAIN_BEFORE else "tune"
        meeting = Meeting(id=0, title=call.title, date=call.day)
        out.append(Example("eth", part, meeting, turns, scored, labels, call))
    return out


def biz_examples(ex: OfflineExtractor) -> list[Example]:
    out = []
    folds = fold_weights(ex.embedder)
    for name in biz.DEV_SERIES:
        series = biz.load_series(biz.DATA_DIR / name)
        # The series' people directory, as the product's service passes it, and a business
        # unit classifier that never saw the series (as a new writer's meetings will be scored).
        teams = _teams(biz.DATA_DIR / name / "people.yaml")
        with_people = OfflineExtractor(
            embedder=ex.embedder,
            scorer=ex.scorer,
            leaders=ex.leaders,
            teams=teams,
            business=folds[name],
        )
        for gm in series.meetings:
            turns = parse_transcript((series.folder / gm.file).read_bytes(), gm.file).turns
            biz.map_quotes(gm, turns)
            scored = with_people.score(turns, gm.kind)
            updates = {u.turn for u in gm.updates if u.turn is not None}
            labels: list[int | None] = []
            for c in scored.candidates:
                head = scored.sentences[c.head].turn_index
                if any(g.kind == c.kind and head in g.turns for g in gm.items):
                    labels.append(1)
                elif head in updates:
                    labels.append(None)
                else:
                    labels.append(0)
            meeting = Meeting(id=0, title=gm.title, date=gm.day, kind=gm.kind)
            out.append(Example("biz", "both", meeting, turns, scored, labels, gm, series=name))
    return out


def _teams(path):
    import yaml

    from assistant.models import Team

    records = yaml.safe_load(path.read_text())["people"]
    return {r["name"]: Team(r["team"]) for r in records}


# ----------------------------------------------------------------- training


def fit(examples: list[Example], c: float) -> ItemScorer:
    train = [e for e in examples if e.part in ("train", "both")]
    x_all = np.vstack([e.scored.features for e in train if len(e.scored.candidates)])
    mu = x_all.mean(axis=0)
    sigma = x_all.std(axis=0) + 1e-6
    coef, intercept = {}, {}
    for kind in KINDS:
        if kind in BY_STRENGTH:
            # p = sigmoid(12 * (strength - 0.6)) in the standardised space the scorer uses
            j = len(PATTERNS)  # the strength column
            coef[kind] = np.zeros(len(mu), dtype=np.float32)
            coef[kind][j] = 12.0 * sigma[j]
            intercept[kind] = float(12.0 * mu[j] - 12.0 * 0.6)
            continue
        xs, ys, corpora = [], [], []
        for e in train:
            for i, (cand, label) in enumerate(zip(e.scored.candidates, e.labels, strict=True)):
                if cand.kind == kind and label is not None:
                    xs.append(e.scored.features[i])
                    ys.append(label)
                    corpora.append(e.corpus)
        x = (np.vstack(xs) - mu) / sigma
        y = np.array(ys)
        weights = np.ones(len(y))
        for corpus in set(corpora):  # every corpus weighs the same
            mask = np.array([k == corpus for k in corpora])
            weights[mask] = len(y) / (len(set(corpora)) * mask.sum())
        model = LogisticRegression(C=c, max_iter=3000, class_weight="balanced")
        model.fit(x, y, sample_weight=weights)
        coef[kind] = model.coef_[0].astype(np.float32)
        intercept[kind] = float(model.intercept_[0])
    base = untrained_scorer()
    return ItemScorer(
        mu=mu.astype(np.float32),
        sigma=sigma.astype(np.float32),
        coef=coef,
        intercept=intercept,
        threshold=dict(base.threshold),
        floor=dict(base.floor),
        meta={"c": c},
    )


def rescore(examples: list[Example], scorer: ItemScorer) -> None:
    for e in examples:
        e.scored.probabilities = scorer.probabilities(e.scored.candidates, e.scored.features)


# ----------------------------------------------------------------- tuning


def evaluate(ex: OfflineExtractor, examples: list[Example], threshold: dict) -> dict:
    """The figures the benchmarks report, on the tuning parts, for these thresholds."""
    ami = {k: KindScore() for k in KINDS}
    eth_total = eth.Score()
    biz_counts = {k: [0, 0, 0, 0] for k in KINDS}  # items, correct, gold, gold found
    for e in examples:
        if e.part == "train":
            continue
        items = ex.select(e.scored, e.meeting, e.turns, threshold)
        if e.corpus == "ami":
            for kind in KINDS:
                ev = [[x.turn_index for x in it.evidence] for it in items if it.kind == kind]
                ami[kind].add(score_items(e.source, kind, ev))
        elif e.corpus == "eth":
            eth_total.add(eth.score_call(e.source, e.turns, items).score)
        else:
            _biz_add(e.source, items, biz_counts)
    eth_d = eth_total.as_dict()
    ami_f1 = {k.value: ami[k].as_dict()["f1"] for k in KINDS}
    biz_f1, biz_p = {}, {}
    for kind, (n, correct, gold, found) in biz_counts.items():
        p = correct / n if n else 0.0
        r = found / gold if gold else 0.0
        biz_f1[kind.value] = round(2 * p * r / (p + r), 3) if p + r else 0.0
        biz_p[kind.value] = round(p, 3)
    return {
        "ami_f1": ami_f1,
        "biz_f1": biz_f1,
        "biz_precision": biz_p,
        "eth_recall": {"decision": eth_d["decision_recall"], "action": eth_d["action_recall"]},
        "eth_items_per_hour": eth_d["items_per_hour"],
        "eth_on_topic": eth_d["on_topic"],
        "eth_owner": eth_d["owner_accuracy"],
    }


def _biz_add(gm, items: list[DraftItem], counts) -> None:
    updates = {u.turn for u in gm.updates if u.turn is not None}
    found: set[str] = set()
    for it in items:
        head = it.evidence[0].turn_index
        golds = [g for g in gm.items if g.kind == it.kind and head in g.turns]
        if not golds and head in updates:
            continue  # a re-mention: the tracker folds it into the earlier item
        counts[it.kind][0] += 1
        fresh = [g for g in golds if g.id not in found]
        if fresh:
            counts[it.kind][1] += 1
            found.add(fresh[0].id)
    for kind in KINDS:
        counts[kind][2] += sum(1 for g in gm.items if g.kind == kind)
        counts[kind][3] += sum(1 for g in gm.items if g.kind == kind and g.id in found)


# AMI is where v2 stood: 0.368 / 0.720 / 0.402. The issue allows 0.03 less; below that the
# objective pays three times the shortfall. (AMI's "problems" are not parked snags: the parking
# lot only takes explicit deferrals, which AMI hardly has, so problems are not held to v2.)
AMI_FLOOR = {"decision": 0.338, "action": 0.69}


# The recall targets on ethpm: recall beyond them earns nothing more, so the thresholds
# are not lowered for recall the leaders' own meetings (the business set) pay for in precision.
ETH_RECALL_TARGET = {"decision": 0.75, "action": 0.70}


def objective(figures: dict) -> float:
    ami = np.mean([figures["ami_f1"][k] for k in AMI_FLOOR])
    bz = np.mean(list(figures["biz_f1"].values()))
    er = np.mean([min(v or 0.0, ETH_RECALL_TARGET[k]) for k, v in figures["eth_recall"].items()])
    over = max(0.0, (figures["eth_items_per_hour"] or 0.0) - MAX_ITEMS_PER_HOUR)
    short = sum(max(0.0, floor - figures["ami_f1"][k]) for k, floor in AMI_FLOOR.items())
    # This scorer reads every meeting that is not one of the leaders' own (those have a scorer
    # of their own, `fit_leaders`): the real recorded calls (ethpm) count double, business
    # meetings of an unknown kind once, and AMI's scripted design meetings once, with what
    # they fall under their floors counted again.
    return float(ami + bz + 2 * er - over / 4 - short)


def _loose(figures: dict) -> float:
    """Every false item is read by a leader: how far business precision falls under its floor
    (the shortfall costs as much as the F1 it buys)."""
    return sum(max(0.0, BIZ_PRECISION_FLOOR - p) for p in figures["biz_precision"].values())


def leaders_objective(figures: dict) -> float:
    """The leaders' scorer sees only their meetings: business F1, precision held as above."""
    return float(np.mean(list(figures["biz_f1"].values())) - _loose(figures))


def tune(ex, examples, start: dict, goal=objective) -> tuple[dict, dict]:
    threshold = dict(start)
    best = goal(evaluate(ex, examples, threshold))
    for _ in range(2):  # coordinate ascent, twice over the kinds
        for kind in KINDS:
            for value in GRID:
                trial = {**threshold, kind: value}
                score = goal(evaluate(ex, examples, trial))
                if score > best + 1e-9:
                    best, threshold = score, trial
    return threshold, evaluate(ex, examples, threshold)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--c", type=float, nargs="*", default=[0.001, 0.003, 0.01])
    parser.add_argument("--dry-run", action="store_true", help="do not write the weights")
    args = parser.parse_args()
    set_threads(2)
    t0 = time.time()
    ex = OfflineExtractor(
        embedder=CachedEmbedder(MiniLMEmbedder()),
        scorer=untrained_scorer(),
        leaders=untrained_scorer(),
    )
    examples = biz_examples(ex) + eth_examples(ex) + ami_examples(ex)
    print(f"scored {len(examples)} meetings in {time.time() - t0:.0f}s")
    for corpus, kind in itertools.product(("ami", "eth", "biz"), KINDS):
        labels = [
            lab
            for e in examples
            if e.corpus == corpus
            for c, lab in zip(e.scored.candidates, e.labels, strict=True)
            if c.kind == kind and lab is not None
        ]
        print(f"  {corpus} {kind.value}: {len(labels)} candidates, {sum(labels)} positive")

    # The general scorer never reads the business unit classifier (other meetings have none of
    # its scores): its columns are blanked while it is fitted, then given back for the leaders'.
    business = [e.scored.features[:, BUSINESS_COLUMNS].copy() for e in examples]
    for e in examples:
        e.scored.features[:, BUSINESS_COLUMNS] = 0.0
    base = untrained_scorer()
    rescore(examples, base)
    base_figures = evaluate(ex, examples, base.threshold)
    print("patterns alone (strength >= 0.6):", base_figures, round(objective(base_figures), 3))

    best: tuple[float, ItemScorer, dict] | None = None
    for c in args.c:
        scorer = fit(examples, c)
        rescore(examples, scorer)
        threshold, figures = tune(ex, examples, {k: 0.5 for k in KINDS})
        score = objective(figures)
        print(f"C={c}: thresholds {threshold} -> {figures} objective {score:.3f}")
        if best is None or score > best[0]:
            scorer.threshold = threshold
            best = (score, scorer, figures)
    assert best is not None
    _, scorer, figures = best
    scorer.meta.update(
        {
            "version": "offline:v3",
            "trained_on": "AMI train; ethpm dev before 2026-03-25; business dev series",
            "tuned_on": "AMI dev; ethpm dev 2026-03-25..04-19; business dev series",
            "tuning_figures": figures,
        }
    )
    if not args.dry_run:
        scorer.save(ITEM_WEIGHTS)
        print(f"wrote {ITEM_WEIGHTS} ({ITEM_WEIGHTS.stat().st_size // 1024} KiB)")

    for e, cols in zip(examples, business, strict=True):
        e.scored.features[:, BUSINESS_COLUMNS] = cols
    leaders_scorer = fit_leaders(ex, examples, args.c)
    if not args.dry_run:
        leaders_scorer.save(LEADERS_ITEM_WEIGHTS)
        print(f"wrote {LEADERS_ITEM_WEIGHTS}")
    print(f"done in {time.time() - t0:.0f}s")


def fit_leaders(ex: OfflineExtractor, examples: list[Example], cs: list[float]) -> ItemScorer:
    """The leaders' scorer: fitted on every corpus (the business unit classifier's columns are
    the business series' only). Its thresholds are tuned on the business series alone, each
    scored by a scorer fitted without it (as a new writer's meetings will be): fitted and tuned
    on the same series, the scorer is sure of itself (thresholds of 0.8–0.9) in a way no new
    meeting bears out."""
    own = [e for e in examples if e.corpus == "biz"]
    best: tuple[float, float, dict, dict] | None = None
    for c in cs:
        for name in sorted({e.series for e in own}):
            rescore(
                [e for e in own if e.series == name],
                fit([e for e in examples if e.series != name], c),
            )
        threshold, figures = tune(ex, own, {k: 0.5 for k in KINDS}, leaders_objective)
        score = leaders_objective(figures)
        print(
            f"leaders, C={c}, out of series: thresholds {threshold} -> {figures['biz_f1']} "
            f"precision {figures['biz_precision']} objective {score:.3f}"
        )
        if best is None or score > best[0]:
            best = (score, c, threshold, figures)
    assert best is not None
    _, c, threshold, figures = best
    scorer = fit(examples, c)
    scorer.threshold = threshold
    scorer.meta.update(
        {
            "version": "offline:v3 leaders",
            "trained_on": "AMI train; ethpm dev before 2026-03-25; business dev series (each "
            "scored by a business unit classifier that never saw it)",
            "tuned_on": "business dev series, each scored by an item scorer that never saw it",
            "tuning_figures": figures,
        }
    )
    return scorer


if __name__ == "__main__":
    main()
