"""Ranking helpers for hybrid search: query cleanup, score normalisation, fusion, smoothing.

Pure functions over arrays, so `search.py` only gathers candidates and these decide the order.

- People ask "Summarise the discussion about the CDP contract" or "What did Sam think of the
  consent banner?": the instruction words carry no topic, they only blur the query's vector
  and add noise terms to BM25, so `topic_of` strips them (by general patterns, never a list of
  known questions).
- Lexical (BM25) and dense (cosine) scores live on different scales; each is standardised
  within the query's candidates (z-scores) and combined with fixed, tuned weights.
- Relevant passages run over several consecutive chunks, so a chunk whose neighbours also
  score well is a better bet than an isolated spike: `smooth` adds part of the neighbours' score.
"""

from __future__ import annotations

import re

import numpy as np

# A request for a summary / an opinion / a reason, at the start of a question.
_LEAD = re.compile(
    r"""^\s*(?:
        (?:please\s+|can\s+you\s+|could\s+you\s+)?
        (?:summari[sz]e|describe|explain|outline|list|recap|tell\s+me|remind\s+me\s+of)\b
        (?:\s+(?:what\s+(?:was|were)\s+said|the\s+(?:main\s+)?points))?
      | (?:what|how|why|who|when|where|which)(?:'s|\s+is|\s+are|\s+was|\s+were)?
        (?:\s+(?:did|does|do|would|will|should|could|can|has|have|had))?
      | (?:did|does|do|is|are|was|were|has|have|had)
    )\b""",
    re.IGNORECASE | re.VERBOSE,
)
# "the discussion about", "the opinion of", "think about", "when talking about" …: framing.
_FRAME = re.compile(
    r"""\b(?:
        (?:the\s+|their\s+|his\s+|her\s+|its\s+)?(?:whole\s+|main\s+|final\s+)?
        (?:discussions?|conversations?|debates?|talks?|opinions?|views?|thoughts?|ideas?|
           suggestions?|conclusions?|decisions?|descriptions?|summary|attitudes?|reasons?|
           points?|comments?|feelings?|stance|position)
        \s+(?:about|on|of|regarding|concerning|towards?|for|around)\b
      | when\s+(?:talking|discussing|presenting|reflecting|speaking|it\s+came\s+to)
        (?:\s+(?:about|on|of))?
      | (?:think|thought|say|said|talk|talked|discuss|discussed|mention|mentioned|elaborated?|
           suggest|suggested|recommend|recommended|propose|proposed|report|reported|present|
           presented|feel|felt|believe|believed|argue|argued|respond|responded|react|reacted|
           answer|answered|comment|commented)s?
        \s+(?:about|of|on|regarding|to|towards?|in\s+terms\s+of)\b
      | (?:the\s+)?(?:group|team|everyone|participants|members)\b
    )""",
    re.IGNORECASE | re.VERBOSE,
)
_SPACES = re.compile(r"\s+")


def topic_of(query: str) -> str:
    """The query without its instruction words ("Summarize the discussion about X" -> "X").

    Returns the query unchanged when nothing would be left (the words then are the topic).
    """
    topic = _FRAME.sub(" ", query)
    topic = _LEAD.sub(" ", topic)
    topic = _SPACES.sub(" ", topic).strip(" ?.!,;:")
    return topic if re.search(r"\w", topic) else query.strip()


def standardise(scores: np.ndarray, present: np.ndarray | None = None) -> np.ndarray:
    """Z-scores of `scores` over the entries where `present` is true (default: all).

    Entries not present (a chunk BM25 did not match) get the lowest present z-score minus one
    standard step, so they rank below every match without a gap that swamps the other signal.
    """
    scores = np.asarray(scores, dtype=np.float64)
    out = np.zeros_like(scores)
    mask = np.ones(len(scores), bool) if present is None else np.asarray(present, bool)
    if not mask.any():
        return out
    values = scores[mask]
    spread = values.std()
    if spread < 1e-9:
        out[mask] = 0.0
        out[~mask] = -1.0
        return out
    z = (values - values.mean()) / spread
    out[mask] = z
    out[~mask] = z.min() - 1.0
    return out


def smooth(scores: np.ndarray, left: np.ndarray, right: np.ndarray, weight: float) -> np.ndarray:
    """Add `weight` times the mean score of each item's two neighbours (index -1 = none).

    A missing neighbour (start or end of a meeting) counts as the item itself, so an edge
    chunk is neither rewarded nor punished for its position.
    """
    scores = np.asarray(scores, dtype=np.float64)
    if weight == 0 or not len(scores):
        return scores
    before = np.where(left >= 0, scores[np.maximum(left, 0)], scores)
    after = np.where(right >= 0, scores[np.maximum(right, 0)], scores)
    return scores + weight * (before + after) / 2


def diversify(
    scores: np.ndarray,
    positions: np.ndarray,
    groups: np.ndarray,
    k: int,
    penalty: float,
    reach: int,
) -> list[int]:
    """Pick `k` items best first, lowering by `penalty` the items within `reach` positions
    of each pick in the same group (meeting), so the list does not spend its places on
    overlapping windows of the same stretch of talk. Returns indexes into `scores`."""
    current = np.asarray(scores, dtype=np.float64).copy()
    picked: list[int] = []
    alive = np.ones(len(current), dtype=bool)
    for _ in range(min(k, len(current))):
        best = int(np.argmax(np.where(alive, current, -np.inf)))
        picked.append(best)
        alive[best] = False
        if penalty:
            near = (groups == groups[best]) & (np.abs(positions - positions[best]) <= reach)
            near[best] = False
            current[near] -= penalty
    return picked


# Titles and suffixes around a person's name in transcripts ("Hon. Bill Blair (Minister …)",
# "Julie Morgan AM"): people are asked about by the name alone.
_HONORIFIC = re.compile(
    r"^(?:the\s+)?(?:right\s+hon\.?|hon\.?|mr\.?|mrs\.?|ms\.?|miss|mx\.?|dr\.?|prof\.?|sir|dame)\s+",
    re.IGNORECASE,
)
_NAME_SUFFIX = re.compile(r"\s+(?:AM|MP|MS|MSP|MLA|MEP|QC|KC|Jr\.?|Sr\.?)$")
_PARENTHESES = re.compile(r"\s*\((?:[^()]|\([^()]*\))*\)")
_NAME_STOP = frozenset("the and for with from acting chair team group".split())


def name_forms(speaker: str) -> tuple[str, set[str]]:
    """A speaker label's full name and the single names it may be called by (lower case).

    "Hon. Navdeep Bains (Minister)" -> ("navdeep bains", {"navdeep", "bains"}).
    """
    base = _PARENTHESES.sub("", speaker).strip()
    base = _NAME_SUFFIX.sub("", _HONORIFIC.sub("", base)).strip() or speaker.strip()
    words = base.split()
    parts = set()
    if len(words) >= 2:
        for word in (words[0], words[-1]):
            if len(word) >= 3 and word[0].isupper() and word.lower() not in _NAME_STOP:
                parts.add(word.lower())
    return base.lower(), parts


def _name_pattern(name: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-]){re.escape(name)}(?:['\u2019]s)?(?![\w-])")


def named_speakers(query: str, speakers: list[str]) -> list[str]:
    """Speakers named in the query, by full name or by a first or last name (whole words).

    A full-name mention ("Grad F") is not also read as a first name shared by others
    ("Grad E"), so it is matched and removed before single names are looked for.
    """
    text = f" {query.lower()} "
    found: list[str] = []
    forms = {speaker: name_forms(speaker) for speaker in speakers}
    for speaker, (full, _) in sorted(forms.items(), key=lambda kv: -len(kv[1][0])):
        if len(full) >= 2 and _name_pattern(full).search(text):
            found.append(speaker)
    for speaker in found:
        text = _name_pattern(forms[speaker][0]).sub(" ", text)
    for speaker, (_, parts) in forms.items():
        if speaker not in found and any(_name_pattern(p).search(text) for p in parts):
            found.append(speaker)
    return [s for s in speakers if s in found]


def speaker_share(text: str, speakers: set[str]) -> float:
    """Share of a chunk's words spoken by `speakers` (chunk lines read "Speaker: words")."""
    total = mine = 0
    for line in text.split("\n"):
        name, sep, body = line.partition(": ")
        count = len((body if sep else line).split())
        total += count
        if sep and name in speakers:
            mine += count
    return mine / total if total else 0.0
