"""Candidates and the item scorer: which of the things a meeting might have left behind did it.

Candidates come from two places: the conversation patterns (`dialogue.py`: a request and its
acceptance, a self-commitment, a proposal and its agreement, markers, deferrals) and the unit
classifier's peaks (`unit_model.py`) where no pattern spoke. Each candidate is described by a
fixed feature vector — which pattern, how explicit, what the classifier thinks of its sentence,
whether an owner and a date were said, negative signs (a question, a hypothetical, a retold
decision, meeting mechanics), where in the meeting, who said it, and the sentence's embedding —
and one logistic model per kind turns that into the probability that a leader would write the
item down. Trained on AMI, ethpm and the business set's dev series by bench/train_items.py; the
number of items follows those probabilities (a threshold per kind), not a quota.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.extract.decisions import described, not_a_decision
from assistant.extract.exchange import Candidate
from assistant.extract.features import Unit
from assistant.extract.linear import LinearKinds, read_linear, write_linear
from assistant.extract.signals import (
    AGREE,
    CONCLUSION,
    DECISION,
    PROPOSAL,
    REQUEST,
    SELF_COMMIT,
    content_words,
    is_hypothetical,
    is_mechanics,
    is_negative,
    is_past_retold,
    is_question,
    is_remention,
    is_status_report,
)
from assistant.extract.unit_model import KindParams, select_groups
from assistant.models import ItemKind

ITEM_WEIGHTS = Path(__file__).parent / "weights" / "items_v3.npz"
# The same scorer for the leaders' own meetings, reading the business unit classifier too.
LEADERS_ITEM_WEIGHTS = Path(__file__).parent / "weights" / "items_leaders.npz"
ITEM_FEATURE_VERSION = 8
PATTERNS = (
    "marker",
    "deferral",
    "request+acceptance",
    "request",
    "self-commit",
    "back-reference",
    "assignment",
    "decision",
    "proposal+agreement",
    "open-request",
    "we-commit",
    "model",
    "objection-call",
    "statement+agreement",
    "recap",
)
# The business unit classifier, on the leaders' own meetings only (zeros elsewhere): a flag,
# and its scores at the head and around it.
BUSINESS_SHAPES = (
    "leaders_meeting",
    "b_decision",
    "b_action",
    "b_decision_near",
    "b_action_near",
)
SHAPE_NAMES = (
    "strength",
    "p_decision",
    "p_action",
    "p_parking",
    "p_decision_near",
    "p_action_near",
    "p_parking_near",
    "has_owner",
    "owner_is_speaker",
    "has_due",
    "question",
    "hypothetical",
    "mechanics",
    "past_retold",
    "remention",
    "status_report",
    "support_turns",
    "other_speakers",
    "content_words",
    "position",
    "speaker_share",
    "in_last_fifth",
    "meeting_rank",
    "meeting_share_of_best",
    "explicit_per_100",
    "peak_among_explicit",
    "classifier_agrees",
    "recapped",
    *BUSINESS_SHAPES,
)
# Where those columns sit in a candidate's feature row (bench/ blanks them for the general
# scorer).
_FIRST_BUSINESS = len(PATTERNS) + SHAPE_NAMES.index(BUSINESS_SHAPES[0])
BUSINESS_COLUMNS = slice(_FIRST_BUSINESS, _FIRST_BUSINESS + len(BUSINESS_SHAPES))
# The parking lot is what someone parked ("let's park that", "take it offline"): a snag only a
# classifier heard (AMI's "problems": open issues nobody deferred) is not one, so its peaks
# make decisions and actions only.
MODEL_KINDS = (ItemKind.decision, ItemKind.action)
MODEL_PEAK_STRENGTH = 0.4  # a classifier peak is a weaker sign than an explicit pattern
NEAR = 2  # units around the head whose classifier scores count as "near"
BUSINESS_KINDS = (ItemKind.decision, ItemKind.action)  # what the business unit model scores


def model_candidates(
    scores: dict[ItemKind, np.ndarray],
    units: list[Unit],
    sentences: list[Unit],
    sentences_of_unit: list[list[int]],
    params: dict[ItemKind, KindParams],
    floor: dict[ItemKind, float],
) -> list[Candidate]:
    """The classifier's peaks above `floor`, as candidates over sentences: the headline is the
    strongest unit that says something, stated by its sentence that says it best
    (`headline_sentence`); the members are its discussion (evidence, at most 5 turns)."""
    out = []
    for kind, p in scores.items():
        if kind not in MODEL_KINDS:
            continue
        wide = KindParams(**{**vars(params[kind]), "threshold": floor[kind], "rate": 1e9})
        for peak, members in select_groups(p, units, wide):
            ordered = sorted(members, key=lambda m: -p[m])
            head = next((m for m in ordered if len(units[m].text.split()) >= 4), peak)
            if is_negative(units[head].text):
                continue  # a classifier peak on a question, a maybe or a retold decision
            if kind == ItemKind.decision and (
                is_status_report(units[head].text) or WEIGHED.match(units[head].text)
            ):
                continue  # news ("we're at 1.5 s, down from 1.8"), or an option weighed
            first = [sentences_of_unit[m][0] for m in members if sentences_of_unit[m]]
            said = headline_sentence(kind, sentences_of_unit[head], sentences)
            if said is None:
                continue
            if kind == ItemKind.decision and len(content_words(sentences[said].text)) < 4:
                continue  # "Best joke of the quarter.": too little said to be a choice
            if kind == ItemKind.decision and not_a_decision(sentences[said].text):
                continue  # a preference, an option weighed, a decision retold or not taken
            if kind == ItemKind.decision and described(sentences[said].text):
                continue  # work in progress, a thing described, an estimate
            out.append(
                Candidate(
                    kind,
                    said,
                    support=sorted(set(first) - {said}),
                    strength=MODEL_PEAK_STRENGTH,
                    pattern="model",
                )
            )
    return out


# An option weighed, not chosen: "We could, but the data isn't there yet. …"
WEIGHED = re.compile(r"\W*(?:we|you|i|they) (?:could|might|would)\b", re.IGNORECASE)
# Words that answer or qualify but say nothing of their own ("Not before January, no.").
PARTICLES = frozenset("no not never before after yet still too again more less much".split())
_CUES = {
    ItemKind.decision: (DECISION, PROPOSAL, CONCLUSION),
    ItemKind.action: (SELF_COMMIT, REQUEST),
}


def headline_sentence(kind: ItemKind, ids: list[int], sentences: list[Unit]) -> int | None:
    """The sentence of a unit a reader would take as the item: one with a cue of its kind
    ("we'll go with…", "I'll send…"), else the first that says something. A bare "Great." or
    "Okay." never heads an item (None when the unit has nothing else)."""
    if not ids:
        return None

    def says_something(i: int) -> bool:
        text = sentences[i].text
        words = [w for w in content_words(text) if w not in PARTICLES]
        if is_question(text) or (AGREE.search(text) and len(words) < 4):
            return False
        return len(words) >= 3

    meaningful = [i for i in ids if says_something(i)]
    for i in meaningful:
        if any(cue.search(sentences[i].text) for cue in _CUES.get(kind, ())):
            return i
    return meaningful[0] if meaningful else None


def candidate_features(
    cands: list[Candidate],
    sentences: list[Unit],
    unit_of_sentence: list[int],
    unit_embeddings: np.ndarray,
    scores: dict[ItemKind, np.ndarray],
    business: dict[ItemKind, np.ndarray] | None = None,
) -> np.ndarray:
    """One row per candidate: pattern one-hot, shape features (SHAPE_NAMES), head embedding.
    `scores` are the AMI unit classifier's; `business` the business one's, given only for the
    leaders' own meetings."""
    n_units = len(unit_embeddings)
    dim = unit_embeddings.shape[1] if n_units else 384
    words: Counter[str | None] = Counter()
    for s in sentences:
        words[s.speaker] += len(s.text.split())
    total = max(1, sum(words.values()))
    kinds = (ItemKind.decision, ItemKind.action, ItemKind.parking)
    # How a candidate stands among this meeting's candidates of its kind (by the classifier):
    # meetings differ in style, and "the strongest of this meeting" is evidence of its own.
    own_p = [float(scores[c.kind][unit_of_sentence[c.head]]) if n_units else 0.0 for c in cands]
    best = {
        k: max([p for c, p in zip(cands, own_p, strict=True) if c.kind == k], default=0.0)
        for k in kinds
    }
    ranked = {
        k: sorted((p for c, p in zip(cands, own_p, strict=True) if c.kind == k), reverse=True)
        for k in kinds
    }
    # How explicitly this meeting states items of each kind (pattern candidates per 100
    # sentences): where decisions are said outright, a classifier peak is a weaker sign.
    explicit = {
        k: 100.0
        * sum(1 for c in cands if c.kind == k and c.pattern != "model")
        / max(1, len(sentences))
        for k in kinds
    }
    # A pattern whose sentence is also a classifier peak of its kind: two readers agree.
    peaks = {(c.kind, c.head) for c in cands if c.pattern == "model"}
    peer = [business[k] for k in BUSINESS_KINDS] if business and n_units else None
    rows = []
    for c, p_own in zip(cands, own_p, strict=True):
        head = sentences[c.head]
        u = unit_of_sentence[c.head] if n_units else 0
        near = slice(max(0, u - NEAR), u + NEAR + 1)
        p_at = [float(scores[k][u]) if n_units else 0.0 for k in kinds]
        p_near = [float(scores[k][near].max()) if n_units else 0.0 for k in kinds]
        members = c.units()
        turns = {sentences[m].turn_index for m in members}
        others = {sentences[m].speaker for m in members} - {head.speaker}
        position = c.head / max(1, len(sentences) - 1)
        shape = [
            c.strength,
            *p_at,
            *p_near,
            1.0 if c.owner else 0.0,
            1.0 if c.owner and c.owner == head.speaker else 0.0,
            1.0 if c.due_phrase else 0.0,
            1.0 if head.text.rstrip().endswith("?") else 0.0,
            1.0 if is_hypothetical(head.text) else 0.0,
            1.0 if is_mechanics(head.text) else 0.0,
            1.0 if is_past_retold(head.text) else 0.0,
            1.0 if is_remention(head.text) else 0.0,
            1.0 if is_status_report(head.text) else 0.0,
            float(np.log1p(len(turns) - 1)),
            float(np.log1p(len(others))),
            float(np.log1p(len(content_words(head.text)))),
            position,
            words[head.speaker] / total,
            1.0 if position >= 0.8 else 0.0,
            1.0 / (1.0 + ranked[c.kind].index(p_own)),
            p_own / best[c.kind] if best[c.kind] > 0 else 0.0,
            float(np.log1p(explicit[c.kind])),
            float(np.log1p(explicit[c.kind])) if c.pattern == "model" else 0.0,
            1.0 if c.pattern != "model" and (c.kind, c.head) in peaks else 0.0,
            1.0 if c.recapped else 0.0,
            1.0 if peer else 0.0,
            *([float(b[u]) for b in peer] if peer else [0.0] * len(BUSINESS_KINDS)),
            *([float(b[near].max()) for b in peer] if peer else [0.0] * len(BUSINESS_KINDS)),
        ]
        onehot = [1.0 if c.pattern == p else 0.0 for p in PATTERNS]
        emb = unit_embeddings[u] if n_units else np.zeros(dim, dtype=np.float32)
        rows.append(np.concatenate([np.array(onehot + shape, dtype=np.float32), emb]))
    width = len(PATTERNS) + len(SHAPE_NAMES) + dim
    return np.vstack(rows).astype(np.float32) if rows else np.zeros((0, width), np.float32)


@dataclass
class ItemScorer:
    """One logistic model per kind over candidate features, and each kind's threshold."""

    mu: np.ndarray
    sigma: np.ndarray
    coef: dict[ItemKind, np.ndarray]
    intercept: dict[ItemKind, float]
    threshold: dict[ItemKind, float]
    floor: dict[ItemKind, float]  # classifier peaks above this become candidates
    meta: dict

    def probabilities(self, cands: list[Candidate], x: np.ndarray) -> np.ndarray:
        """P(a leader writes it down) for each candidate, by the model of its kind."""
        if not len(cands):
            return np.zeros(0)
        z = (x - self.mu) / self.sigma
        logits = np.array(
            [float(z[i] @ self.coef[c.kind] + self.intercept[c.kind]) for i, c in enumerate(cands)]
        )
        return 1.0 / (1.0 + np.exp(-np.clip(logits, -30, 30)))

    @classmethod
    def load(cls, path: Path = ITEM_WEIGHTS) -> ItemScorer:
        """Weights written by bench/train_items.py (arrays and JSON; no pickle)."""
        m = read_linear(path, _feature_spec())
        threshold = {k: float(m.meta["threshold"][k.value]) for k in m.coef}
        floor = {k: float(m.meta["floor"][k.value]) for k in m.coef}
        return cls(m.mu, m.sigma, m.coef, m.intercept, threshold, floor, m.meta)

    def save(self, path: Path = ITEM_WEIGHTS) -> None:
        meta = {
            **self.meta,
            **_feature_spec(),
            "threshold": {k.value: v for k, v in self.threshold.items()},
            "floor": {k.value: v for k, v in self.floor.items()},
        }
        write_linear(path, LinearKinds(self.mu, self.sigma, self.coef, self.intercept, meta))


def _feature_spec() -> dict:
    return {
        "feature_version": ITEM_FEATURE_VERSION,
        "patterns": list(PATTERNS),
        "shape_names": list(SHAPE_NAMES),
    }


def untrained_scorer(dim: int = 384) -> ItemScorer:
    """A scorer that trusts the pattern strength alone (used before any training, and as the
    reference the trained one is measured against)."""
    width = len(PATTERNS) + len(SHAPE_NAMES) + dim
    coef = np.zeros(width, dtype=np.float32)
    coef[len(PATTERNS)] = 12.0  # strength
    return ItemScorer(
        mu=np.zeros(width, np.float32),
        sigma=np.ones(width, np.float32),
        coef={k: coef for k in ItemKind},
        intercept={k: -12.0 * 0.6 for k in ItemKind},
        threshold={k: 0.5 for k in ItemKind},
        floor={ItemKind.decision: 0.05, ItemKind.action: 0.1, ItemKind.parking: 0.25},
        meta={"trained_on": "nothing: strength >= 0.6 keeps a candidate"},
    )
