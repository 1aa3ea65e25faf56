"""Linking items to the shared goals.

MiniLM alone scores short item texts low against goal descriptions ("Use mParticle as the CDP"
vs "Customer data platform live…" is about 0.26), because it does not know the trade's acronyms
and product names. So the link score adds the content words an item shares with the goal's
text (its title, description, KPI and milestone names): a shared "CDP" or "mParticle" is strong
evidence. An item below the threshold is linked to no goal rather than to a poor one.
"""

from __future__ import annotations

import math
import re

import numpy as np

from assistant.models import Goal

_WORD = re.compile(r"[A-Za-z][A-Za-z0-9\-]+|\d+")
_COMMON = frozenset(
    "the and for with from that this into our are was were will have has use used using new all "
    "per one two not but can out its it's who what when than then them they their there about "
    "live data team teams shared".split()
)
WORD_BONUS = 0.1  # per shared content word
MAX_BONUS = 0.3


# Units of time: less is better, so progress is target / current.
LOWER_IS_BETTER = frozenset(
    "s ms sec secs second seconds min mins minute minutes h hour hours day days week weeks".split()
)
MAX_PERCENT = 1_000_000  # beyond this a percentage says nothing more; it is shown capped


def kpi_percent(current: float | None, target: float | None, unit: str = "") -> int | None:
    """Progress toward a KPI target in percent (for times, lower is better: target/current).

    None when there is nothing to compare (no value, a zero to divide by) or the values cannot
    be compared: pages and digests show any stored value without failing."""
    if current is None or target is None:
        return None
    if unit.strip().lower() in LOWER_IS_BETTER:
        numerator, denominator = target, current
    else:
        numerator, denominator = current, target
    if not denominator:
        return None
    ratio = numerator / denominator
    if not math.isfinite(ratio):
        return None
    return round(max(-MAX_PERCENT, min(MAX_PERCENT, 100 * ratio)))


def goal_text(goal: Goal) -> str:
    """The text a goal is matched on."""
    parts = [goal.title, goal.description]
    parts += [k.name for k in goal.kpis] + [m.title for m in goal.milestones]
    return ". ".join(p for p in parts if p)


def _words(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text) if w.lower() not in _COMMON and len(w) > 2}


def link_scores(
    text: str, vector: np.ndarray, goals: list[Goal], goal_vectors: np.ndarray
) -> np.ndarray:
    """One score per goal: cosine of meanings plus a bonus for shared content words."""
    words = _words(text)
    bonus = np.array(
        [min(MAX_BONUS, WORD_BONUS * len(words & _words(goal_text(g)))) for g in goals]
    )
    return goal_vectors @ vector + bonus


def best_goal(
    text: str, vector: np.ndarray, goals: list[Goal], goal_vectors: np.ndarray, threshold: float
) -> str | None:
    """The id of the goal an item serves, or None when no goal scores above `threshold`."""
    if not goals:
        return None
    scores = link_scores(text, vector, goals, goal_vectors)
    best = int(np.argmax(scores))
    return goals[best].id if scores[best] >= threshold else None
