"""The default extractor: a classifier trained on AMI, no network.

Pipeline per meeting: turns -> sentence units -> MiniLM embeddings + context + cue features
-> one logistic model per kind (weights in `weights/offline_v2.npz`, trained by
bench/train_extractor.py) -> peaks grouped into items (<= 5 evidence turns): either the nearest
neighbours or the strongest-scoring units of the surrounding discussion -> at most a per-meeting
rate of items above a threshold tuned on AMI dev -> owner, due date, team and a clean sentence
from the rules in `rules.py`.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.embed import Embedder, MiniLMEmbedder, embed_texts
from assistant.extract.features import (
    CONTEXT_WINDOWS,
    CUES,
    FEATURE_VERSION,
    META_NAMES,
    Unit,
    build_features,
    split_units,
)
from assistant.extract.rules import clean_text, find_due, find_owner, guess_team
from assistant.models import DraftItem, Evidence, ExtractionResult, Goal, ItemKind, Meeting, Team
from assistant.models import Turn as Turn

DEFAULT_WEIGHTS = Path(__file__).parent / "weights" / "offline_v2.npz"
MAX_EVIDENCE = 5
LOCAL_RADIUS = 2  # units around the headline/peak whose words give owner, due date and team

# High-precision phrasings that AMI rarely contains but a leadership meeting does: they set a
# floor under the model's score so an explicit "let's park X" is never missed.
RULE_FLOORS: dict[ItemKind, re.Pattern[str]] = {
    ItemKind.decision: re.compile(
        r"\b(?:we'll go with|we will go with|let's go with|we're going with|we(?:'ve| have)? "
        r"decided|we(?:'ve| have)? agreed|(?:the )?decision is|let's go ahead with)\b",
        re.IGNORECASE,
    ),
    ItemKind.parking: re.compile(
        r"\b(?:park(?:ing)?\b(?! the car)|parking lot|table (?:this|that|it)\b|"
        r"take (?:this|that|it) offline|come back to (?:this|that|it)|"
        r"revisit (?:this|that|it) later)",
        re.IGNORECASE,
    ),
    ItemKind.action: re.compile(
        r"(?:\b(?:can|could|would|will) you\b.*\b(?:by|before)\b)|\baction item\b",
        re.IGNORECASE,
    ),
}


@dataclass
class KindParams:
    """Selection settings for one kind, tuned on AMI dev."""

    threshold: float  # minimum peak probability for an item
    rate: float  # at most this many items per 100 units (and at least `min_items` allowed)
    min_items: int
    rho: float  # neighbours scoring >= rho * peak join the item
    radius: int  # how far (in units) to look for such neighbours
    nms: int  # units around an item that cannot start another item
    rule_floor: float  # score given to a unit matching the kind's explicit phrasing
    platt_a: float  # confidence = sigmoid(a * logit(peak) + b), fitted on dev items
    platt_b: float
    # "near": neighbours closest to the peak join it; "score": the highest-scoring units within
    # `radius` join it (a decision's evidence is often the chair's summary plus agreement turns
    # spread over the discussion, not the peak's direct neighbours).
    pick: str = "near"


@dataclass
class Weights:
    mu: np.ndarray
    sigma: np.ndarray
    coef: dict[ItemKind, np.ndarray]
    intercept: dict[ItemKind, float]
    params: dict[ItemKind, KindParams]
    meta: dict

    @classmethod
    def load(cls, path: Path) -> Weights:
        """Load an npz written by bench/train_extractor.py (no pickle: arrays and JSON)."""
        with np.load(path, allow_pickle=False) as data:
            meta = json.loads(str(data["meta"]))
            expected = {
                "feature_version": FEATURE_VERSION,
                "cues": [n for n, _ in CUES],
                "meta_names": list(META_NAMES),
                "context_windows": [list(w) for w in CONTEXT_WINDOWS],
            }
            for key, value in expected.items():
                if meta.get(key) != value:
                    raise ValueError(f"{path}: weights were trained with another {key}")
            kinds = [ItemKind(k) for k in meta["kinds"]]
            return cls(
                mu=data["mu"],
                sigma=data["sigma"],
                coef={k: data[f"coef_{k.value}"] for k in kinds},
                intercept={k: float(data[f"intercept_{k.value}"]) for k in kinds},
                params={k: KindParams(**meta["params"][k.value]) for k in kinds},
                meta=meta,
            )

    def save(self, path: Path) -> None:
        arrays = {"mu": self.mu, "sigma": self.sigma}
        for kind in self.coef:
            arrays[f"coef_{kind.value}"] = self.coef[kind].astype(np.float32)
            arrays[f"intercept_{kind.value}"] = np.array(self.intercept[kind])
        meta = dict(self.meta)
        meta["kinds"] = [k.value for k in self.coef]
        meta["params"] = {k.value: vars(p) for k, p in self.params.items()}
        path.parent.mkdir(parents=True, exist_ok=True)
        arrays["meta"] = np.array(json.dumps(meta))
        np.savez_compressed(path, **arrays)  # type: ignore[arg-type]


def sigmoid(x: np.ndarray | float) -> np.ndarray | float:
    return 1.0 / (1.0 + np.exp(-np.clip(x, -30, 30)))


def unit_scores(features: np.ndarray, weights: Weights) -> dict[ItemKind, np.ndarray]:
    """Per-kind probability for every unit."""
    x = (features - weights.mu) / weights.sigma
    return {
        kind: np.asarray(sigmoid(x @ weights.coef[kind] + weights.intercept[kind]))
        for kind in weights.coef
    }


def apply_rule_floors(
    scores: dict[ItemKind, np.ndarray], units: list[Unit], params: Mapping[ItemKind, KindParams]
) -> dict[ItemKind, np.ndarray]:
    out = {}
    for kind, p in scores.items():
        floor = params[kind].rule_floor
        pattern = RULE_FLOORS.get(kind)
        p = p.copy()
        if pattern and floor > 0:
            for i, unit in enumerate(units):
                if pattern.search(unit.text):
                    p[i] = max(p[i], floor)
        out[kind] = p
    return out


def select_groups(
    p: np.ndarray, units: list[Unit], params: KindParams
) -> list[tuple[int, list[int]]]:
    """Peaks above the threshold, strongest first, each with neighbours: (peak, unit ids)."""
    n = len(p)
    cap = max(params.min_items, math.ceil(params.rate * n / 100))
    suppressed = np.zeros(n, dtype=bool)
    groups: list[tuple[int, list[int]]] = []
    for peak in np.argsort(-p, kind="stable"):
        if p[peak] < params.threshold or len(groups) >= cap:
            break
        if suppressed[peak]:
            continue
        members = [int(peak)]
        turns = {units[peak].turn_index}
        window = range(max(0, peak - params.radius), min(n, peak + params.radius + 1))
        if params.pick == "score":
            near = sorted(window, key=lambda j: -p[j])
        else:
            near = sorted(window, key=lambda j: abs(j - peak))
        for j in near:
            if j == peak or suppressed[j] or p[j] < params.rho * p[peak]:
                continue
            if units[j].turn_index not in turns and len(turns) >= MAX_EVIDENCE:
                continue
            members.append(j)
            turns.add(units[j].turn_index)
        members.sort()
        if params.pick == "score":  # members may be far apart: block only around the peak
            lo, hi = peak - params.nms, peak + params.nms + 1
        else:
            lo, hi = members[0] - params.nms, members[-1] + params.nms + 1
        suppressed[max(0, lo) : hi] = True
        groups.append((int(peak), members))
    return groups


def evidence_for(members: list[int], units: list[Unit], turns_by_index: dict[int, Turn]):
    """One Evidence per turn; the quote is the verbatim span covering the chosen units."""
    by_turn: dict[int, list[Unit]] = {}
    for m in members:
        by_turn.setdefault(units[m].turn_index, []).append(units[m])
    out = []
    for turn_index in sorted(by_turn)[:MAX_EVIDENCE]:
        turn = turns_by_index[turn_index]
        parts = by_turn[turn_index]
        quote = turn.text[min(u.char_start for u in parts) : max(u.char_end for u in parts)]
        out.append(
            Evidence(
                turn_index=turn_index,
                speaker=turn.speaker,
                start_s=turn.start_s,
                end_s=turn.end_s,
                quote=quote,
            )
        )
    return out


def headline_first(evidence: list[Evidence], turn_index: int) -> list[Evidence]:
    """The turn that says the item comes first (readers and links use the first quote); the
    supporting turns follow in the order they were said."""
    return sorted(evidence, key=lambda e: (e.turn_index != turn_index, e.turn_index))


class OfflineExtractor:
    """Trained classifier + rules; satisfies `assistant.extract.base.Extractor`."""

    name = "offline:v2"

    def __init__(
        self,
        embedder: Embedder | None = None,
        weights_path: Path | None = None,
        teams: Mapping[str, Team] | None = None,
    ):
        self.embedder = embedder or MiniLMEmbedder()
        self.weights = Weights.load(weights_path or DEFAULT_WEIGHTS)
        self.teams = dict(teams or {})

    def score_units(self, turns: list[Turn]) -> tuple[list[Unit], dict[ItemKind, np.ndarray]]:
        """Units of the transcript and each kind's (rule-floored) probability per unit."""
        units = split_units(turns, self.weights.meta.get("split_min_words", 25))
        if not units:
            return units, {k: np.zeros(0) for k in self.weights.coef}
        emb = embed_texts(self.embedder, [u.text for u in units], batch_size=512)
        scores = unit_scores(build_features(units, emb), self.weights)
        return units, apply_rule_floors(scores, units, self.weights.params)

    def extract(self, meeting: Meeting, turns: list[Turn], goals: list[Goal]) -> ExtractionResult:
        """Decisions, actions and parked snags with verbatim evidence (goal linking: caller)."""
        units, scores = self.score_units(turns)
        turns_by_index = {t.index: t for t in turns}
        names = sorted({t.speaker for t in turns if t.speaker})
        # One sentence is one item: when two kinds pick the same headline ("let's keep it in
        # the parking lot" scores as a decision too), the kind it clears by most wins.
        best: dict[tuple[int, str], tuple[float, DraftItem]] = {}
        for kind, p in scores.items():
            params = self.weights.params[kind]
            for peak, members in select_groups(p, units, params):
                item = self._item(kind, p, peak, members, units, turns_by_index, names, meeting)
                margin = float(p[peak]) / max(params.threshold, 1e-6)
                key = (item.evidence[0].turn_index, item.text)
                if key not in best or margin > best[key][0]:
                    best[key] = (margin, item)
        items = sorted(
            (item for _, item in best.values()),
            key=lambda it: (it.evidence[0].turn_index, it.kind.value),
        )
        return ExtractionResult(items=items, extractor=self.name)

    def _item(self, kind, p, peak, members, units, turns_by_index, names, meeting) -> DraftItem:
        params = self.weights.params[kind]
        # The headline: the strongest unit that says something (not a bare "yeah").
        ordered = sorted(members, key=lambda m: -p[m])
        headline = next((m for m in ordered if len(units[m].text.split()) >= 4), peak)
        # Owner, due date and team come from the headline's own exchange: with "score" grouping
        # the evidence may span minutes, and a date said elsewhere is not this item's date.
        local = [headline] + [
            m
            for m in ordered
            if m != headline and min(abs(m - headline), abs(m - peak)) <= LOCAL_RADIUS
        ]
        texts = [units[m].text for m in local]
        owner = None
        due = None
        if kind != ItemKind.decision:
            for m in local:
                owner = owner or find_owner(units[m].text, units[m].speaker, names)
        for text in texts:
            due = due or find_due(text, meeting.date)
        peak_p = float(np.clip(p[peak], 1e-6, 1 - 1e-6))
        logit = math.log(peak_p / (1 - peak_p))
        confidence = float(sigmoid(params.platt_a * logit + params.platt_b))
        return DraftItem(
            kind=kind,
            text=clean_text(units[headline].text),
            owner=owner,
            team=guess_team(" ".join(texts), owner, self.teams),
            due=due,
            confidence=round(min(max(confidence, 0.0), 1.0), 3),
            evidence=headline_first(
                evidence_for(members, units, turns_by_index), units[headline].turn_index
            ),
        )
