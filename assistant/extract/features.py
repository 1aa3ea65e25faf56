"""Features for the offline extractor: utterance units, cue words, context embeddings.

Training (bench/train_extractor.py) and the product (offline.py) both call `build_features`, so
a model trained on AMI sees exactly the features it will see on a product transcript.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

import numpy as np

from assistant.models import Turn

FEATURE_VERSION = 2
SPLIT_MIN_WORDS = 25  # a turn longer than this is split into sentences
CONTEXT_WINDOWS = ((-2, -1), (1, 2), (-8, 8))  # mean embeddings of these unit offsets

# Cue words: short patterns a dialogue-act tagger would notice. Names are part of the weights
# file's feature spec, so a renamed cue invalidates old weights instead of silently shifting.
CUES: tuple[tuple[str, str], ...] = (
    ("we_will", r"\b(?:we'll|we will|we're going to|we are going to|we're gonna)\b"),
    ("lets", r"\b(?:let's|lets|let us)\b"),
    ("go_with", r"\b(?:go with|going with|go for|stick with|settle on|opt for|choose|chose)\b"),
    ("decide", r"\b(?:decide|decided|decision|agreed?|agreement|settled|final|confirmed?)\b"),
    ("should", r"\b(?:should|must|has to|have to|need to|needs to|got to|gotta)\b"),
    ("modal_maybe", r"\b(?:could|might|maybe|perhaps|probably|possibly)\b"),
    ("will_be", r"\b(?:will be|is going to be|'s going to be|would be)\b"),
    ("i_will", r"\b(?:i'll|i will|i'm going to|i'm gonna|let me)\b"),
    ("you_will", r"\b(?:you'll|you will|you're going to|you can|you need to|you should)\b"),
    ("request", r"\b(?:can you|could you|would you|will you|please)\b"),
    (
        "task",
        r"\b(?:work on|look (?:at|into)|send|email|prepare|draft|follow up|task|homework|"
        r"assign|responsib\w*|in charge|take care|deliver|set up|check)\b",
    ),
    ("next_meeting", r"\b(?:next meeting|next time|before the meeting|after the meeting)\b"),
    (
        "due",
        r"\b(?:by|before|until)\s+(?:monday|tuesday|wednesday|thursday|friday|tomorrow|"
        r"the end|next|eod|\d)|\b(?:tomorrow|deadline|end of (?:the )?(?:day|week|month))\b",
    ),
    (
        "problem",
        r"\b(?:problem|issue|concern|risk|difficult\w*|hard|tricky|trouble|worr\w*|"
        r"snag|blocker|blocked|challenge)\b",
    ),
    ("unsure", r"\b(?:not sure|don't know|dunno|unclear|no idea|i wonder|whether|depends)\b"),
    ("cost", r"\b(?:cost\w*|expensive|cheap\w*|price\w*|budget|euros?|dollars?|money|afford)\b"),
    ("negation", r"\b(?:not|no|don't|can't|cannot|won't|isn't|doesn't|shouldn't|never)\b"),
    ("contrast", r"\b(?:but|however|although|though|except)\b"),
    (
        "park",
        r"\b(?:park\w*|table (?:it|this|that)|come back to|revisit|later|offline|"
        r"open question|for now|another time|follow-up)\b",
    ),
    (
        "question_word",
        r"^(?:\W*)(?:what|how|why|which|who|where|when|should|do|does|is|are|can|"
        r"shall)\b",
    ),
    ("how_about", r"\b(?:how about|what about|why don't we|shall we|what if)\b"),
    ("agree_short", r"^\W*(?:yes|yeah|yep|sure|okay|ok|right|agreed|exactly|definitely|fine)\W*$"),
    ("backchannel", r"^\W*(?:mm+(?:-hmm)?|uh-huh|hmm+|um+|uh+|yeah|okay|ok|right|oh)\W*$"),
    ("so_lead", r"^\W*(?:so|okay so|alright so|right so|okay)\b"),
    ("summary", r"\b(?:so we have|to sum up|summar\w*|in conclusion|we've got|so that's)\b"),
    ("number", r"\d|\b(?:one|two|three|four|five|ten|twelve|twenty|fifty|hundred|percent)\b"),
    ("i_think", r"\b(?:i think|i guess|i suppose|i believe|i feel)\b"),
    ("we", r"\b(?:we|we're|our|us)\b"),
)
_CUE_RES = tuple(re.compile(p, re.IGNORECASE) for _, p in CUES)
META_NAMES: tuple[str, ...] = (
    "log_words",
    "question_mark",
    "position",
    "position_sq",
    "speaker_share",
    "speaker_is_top",
    "same_speaker_prev",
    "same_speaker_next",
    "short",
)


@dataclass
class Unit:
    """A sentence-sized piece of a turn; `text` is `turn.text[char_start:char_end]`."""

    turn_index: int
    speaker: str | None
    text: str
    char_start: int
    char_end: int
    start_s: float | None
    end_s: float | None


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'A-Z0-9])")


def split_units(turns: list[Turn], min_words: int = SPLIT_MIN_WORDS) -> list[Unit]:
    """Turns as classifier units: long turns split into sentences, mapped back to the turn."""
    units = []
    for turn in turns:
        text = turn.text
        spans = [(0, len(text))]
        if len(text.split()) > min_words:
            spans, start = [], 0
            for match in _SENTENCE_END.finditer(text):
                spans.append((start, match.start()))
                start = match.end()
            spans.append((start, len(text)))
        for lo, hi in spans:
            piece = text[lo:hi]
            stripped = piece.strip()
            if not stripped:
                continue
            lo += len(piece) - len(piece.lstrip())
            units.append(
                Unit(
                    turn.index,
                    turn.speaker,
                    stripped,
                    lo,
                    lo + len(stripped),
                    turn.start_s,
                    turn.end_s,
                )
            )
    return units


def cue_matrix(texts: list[str]) -> np.ndarray:
    return np.array(
        [[1.0 if r.search(t) else 0.0 for r in _CUE_RES] for t in texts], dtype=np.float32
    ).reshape(len(texts), len(CUES))


def meta_matrix(units: list[Unit]) -> np.ndarray:
    n = len(units)
    words = [len(u.text.split()) for u in units]
    by_speaker: Counter[str | None] = Counter()
    for u, w in zip(units, words, strict=True):
        by_speaker[u.speaker] += w
    total = max(1, sum(words))
    top = by_speaker.most_common(1)[0][0] if by_speaker else None
    rows = []
    for i, u in enumerate(units):
        position = i / max(1, n - 1)
        rows.append(
            [
                np.log1p(words[i]),
                1.0 if u.text.rstrip().endswith("?") else 0.0,
                position,
                position * position,
                by_speaker[u.speaker] / total,
                1.0 if u.speaker == top else 0.0,
                1.0 if i > 0 and units[i - 1].speaker == u.speaker else 0.0,
                1.0 if i + 1 < n and units[i + 1].speaker == u.speaker else 0.0,
                1.0 if words[i] <= 3 else 0.0,
            ]
        )
    return np.array(rows, dtype=np.float32).reshape(n, len(META_NAMES))


def context_means(emb: np.ndarray, lo: int, hi: int) -> np.ndarray:
    """Row i = mean of emb[i+lo .. i+hi] (clipped to the meeting; zeros when empty)."""
    n, dim = emb.shape
    csum = np.vstack([np.zeros((1, dim), dtype=np.float64), np.cumsum(emb, axis=0)])
    idx = np.arange(n)
    a = np.clip(idx + lo, 0, n)
    b = np.clip(idx + hi + 1, 0, n)
    count = np.maximum(b - a, 1)[:, None]
    out = (csum[b] - csum[a]) / count
    out[b <= a] = 0.0
    return out.astype(np.float32)


def build_features(units: list[Unit], emb: np.ndarray) -> np.ndarray:
    """Feature matrix: unit embedding, context-window means, cue flags, meta features."""
    parts = [emb] + [context_means(emb, lo, hi) for lo, hi in CONTEXT_WINDOWS]
    parts += [cue_matrix([u.text for u in units]), meta_matrix(units)]
    return np.hstack(parts).astype(np.float32)
