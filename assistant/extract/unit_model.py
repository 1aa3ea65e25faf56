"""The unit classifier: one logistic model per kind over every sentence-sized unit.

Features are the unit's MiniLM embedding, context-window means, cue words and shape
(`features.py`); weights (`weights/offline_v2.npz`, plain arrays + JSON, no pickle) were trained
on AMI by bench/train_extractor.py. Its per-unit probabilities are one input of the item scorer
(`candidates.py`), and its peaks (`select_groups`) are candidates where no pattern spoke.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.extract.features import CONTEXT_WINDOWS, CUES, FEATURE_VERSION, META_NAMES, Unit
from assistant.extract.linear import LinearKinds, read_linear, write_linear
from assistant.models import Evidence, ItemKind, Turn

DEFAULT_WEIGHTS = Path(__file__).parent / "weights" / "offline_v2.npz"
# The same model trained on the business set's dev series (bench/train_business_units.py): it
# ranks the units of a leaders' meeting by a writer it never saw three times better than the
# AMI one does.
BUSINESS_WEIGHTS = Path(__file__).parent / "weights" / "units_business.npz"
MAX_EVIDENCE = 5
LOCAL_RADIUS = 2  # units around the headline/peak whose words give owner, due date and team


@dataclass
class KindParams:
    """Selection settings for one kind, tuned on AMI dev."""

    threshold: float  # minimum peak probability for an item
    rate: float  # at most this many items per 100 units (and at least `min_items` allowed)
    min_items: int
    rho: float  # neighbours scoring >= rho * peak join the item
    radius: int  # how far (in units) to look for such neighbours
    nms: int  # units around an item that cannot start another item
    rule_floor: float  # v2 only (explicit phrasings are `dialogue.py` patterns in v3)
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
        m = read_linear(path, feature_spec())
        params = {k: KindParams(**m.meta["params"][k.value]) for k in m.coef}
        return cls(m.mu, m.sigma, m.coef, m.intercept, params, m.meta)

    def save(self, path: Path) -> None:
        meta = {**self.meta, "params": {k.value: vars(p) for k, p in self.params.items()}}
        write_linear(path, LinearKinds(self.mu, self.sigma, self.coef, self.intercept, meta))


def feature_spec() -> dict:
    """What a unit classifier's weights must have been trained on (`features.py`), stored in
    their meta and checked when they are read."""
    return {
        "feature_version": FEATURE_VERSION,
        "cues": [n for n, _ in CUES],
        "meta_names": list(META_NAMES),
        "context_windows": [list(w) for w in CONTEXT_WINDOWS],
    }


def sigmoid(x: np.ndarray | float) -> np.ndarray | float:
    return 1.0 / (1.0 + np.exp(-np.clip(x, -30, 30)))


def unit_scores(features: np.ndarray, weights: Weights) -> dict[ItemKind, np.ndarray]:
    """Per-kind probability for every unit."""
    x = (features - weights.mu) / weights.sigma
    return {
        kind: np.asarray(sigmoid(x @ weights.coef[kind] + weights.intercept[kind]))
        for kind in weights.coef
    }


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
