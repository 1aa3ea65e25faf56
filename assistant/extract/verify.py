"""Quote checking: an item survives only if the words it cites were really said.

A model's quote is compared with the turn it cites after normalising case, punctuation,
whitespace and curly quotes, with a fuzzy partial match (models drop a comma or fix a typo).
The evidence kept is the span as it appears in the transcript, never the model's wording.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from pydantic import BaseModel
from rapidfuzz import fuzz

from assistant.models import Evidence, Turn

MIN_SCORE = 90.0
MAX_EVIDENCE = 5
MIN_QUOTE_WORDS = 3  # shorter quotes ("we will") match almost any turn …
MIN_TURN_SHARE = 0.5  # … unless they cover at least this share of the turn ("Agreed.")

# Apostrophes vanish ("don't" == "dont"); every other non-alphanumeric character (curly or
# straight quotes, dashes, no-break spaces, punctuation) is just a word separator.
_APOSTROPHES = frozenset("'\u2018\u2019\u201b\u2032`")
_FILLERS = frozenset({"um", "umm", "uh", "uhm", "uhh", "erm", "er", "hmm", "hm", "mm", "mhm", "ah"})


class DraftEvidence(BaseModel):
    """Evidence as a model proposes it: a turn number and the words it claims were said."""

    turn: int
    quote: str


def normalise(text: str) -> str:
    """Lower-case words separated by single spaces; punctuation, apostrophes, fillers
    ("um", "uh") and stutters ("the the") dropped."""
    return _normalise_with_map(text)[0]


def _words(text: str) -> list[tuple[str, list[int]]]:
    """Lower-cased words of `text`, each with the index in `text` of every character."""
    words: list[tuple[str, list[int]]] = []
    chars: list[str] = []
    where: list[int] = []
    for i, raw in enumerate(text + " "):
        if raw in _APOSTROPHES:
            continue  # "don't" and "dont" should compare equal
        for ch in raw.lower():
            if ch.isalnum():
                chars.append(ch)
                where.append(i)
            elif chars:
                words.append(("".join(chars), where))
                chars, where = [], []
    return words


def _normalise_with_map(text: str) -> tuple[str, list[int]]:
    """Normalised text plus, for each of its characters, the index it came from in `text`.

    Spoken transcripts are full of fillers and repeated words that a model tidies away when
    quoting; dropping them on both sides keeps a faithful quote from missing the threshold.
    """
    out: list[str] = []
    where: list[int] = []
    previous = ""
    for word, positions in _words(text):
        if word in _FILLERS or word == previous:
            continue
        if out:
            out.append(" ")
            where.append(where[-1])
        out.extend(word)
        where.extend(positions)
        previous = word
    return "".join(out), where


def _locate(quote: str, text: str) -> tuple[float, str] | None:
    """Score and the verbatim span of `text` that `quote` matches, or None if it does not."""
    nq = normalise(quote)
    nt, where = _normalise_with_map(text)
    if not nq or not nt:
        return None
    words = nq.split()
    if len(words) < MIN_QUOTE_WORDS and len(nq) < MIN_TURN_SHARE * len(nt):
        return None
    if len(nq) >= len(nt):
        # The quote is at least the whole turn: it must be the turn, not the turn plus extras.
        score = fuzz.ratio(nq, nt)
        return (score, text.strip()) if score >= MIN_SCORE else None
    found = fuzz.partial_ratio_alignment(nq, nt, score_cutoff=MIN_SCORE)
    if found is None or found.dest_end <= found.dest_start:
        return None
    return found.score, _span(text, where[found.dest_start], where[found.dest_end - 1] + 1)


def _span(text: str, start: int, end: int) -> str:
    """`text[start:end]` widened to whole words and trimmed of stray separators."""
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] in _APOSTROPHES):
        start -= 1
    while end < len(text) and (text[end].isalnum() or text[end] in _APOSTROPHES):
        end += 1
    while start < end and not (text[start].isalnum() or text[start] in "\"'\u201c\u2018"):
        start += 1
    # Keep a closing full stop, question or exclamation mark: quotes read better with them.
    if end < len(text) and text[end] in ".?!":
        end += 1
    return text[start:end].rstrip(" ,;:-\u2013\u2014")


def verify_evidence(
    draft_evidence: Iterable[DraftEvidence | Mapping],
    turns: Sequence[Turn],
    *,
    meeting_id: int | None = None,
) -> list[Evidence] | None:
    """Keep the quotes found in the turn they cite (or a neighbouring turn), verbatim.

    Returns at most five `Evidence` entries with the turn's speaker and times, or None when
    no quote could be verified (the caller drops the item and counts it).
    """
    by_index = {turn.index: turn for turn in turns}
    verified: list[Evidence] = []
    seen: set[tuple[int, str]] = set()
    for entry in draft_evidence:
        draft = entry if isinstance(entry, DraftEvidence) else DraftEvidence.model_validate(entry)
        match = _match_turn(draft, by_index)
        if match is None:
            continue
        turn, quote = match
        key = (turn.index, quote)
        if key in seen:
            continue
        seen.add(key)
        verified.append(
            Evidence(
                meeting_id=meeting_id,
                turn_index=turn.index,
                speaker=turn.speaker,
                start_s=turn.start_s,
                end_s=turn.end_s,
                quote=quote,
            )
        )
        if len(verified) == MAX_EVIDENCE:
            break
    return verified or None


def _match_turn(draft: DraftEvidence, by_index: Mapping[int, Turn]) -> tuple[Turn, str] | None:
    """The cited turn if the quote is there, else the better of the two neighbours."""
    cited = by_index.get(draft.turn)
    if cited is not None and (found := _locate(draft.quote, cited.text)) is not None:
        return cited, found[1]
    best: tuple[float, Turn, str] | None = None
    for index in (draft.turn - 1, draft.turn + 1):
        turn = by_index.get(index)
        if turn is None:
            continue
        found = _locate(draft.quote, turn.text)
        if found is not None and (best is None or found[0] > best[0]):
            best = (found[0], turn, found[1])
    return (best[1], best[2]) if best else None
