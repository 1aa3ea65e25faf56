"""What a new meeting says of earlier items: each sentence (and clause) of the meeting, read
with the turn before it, matched to the open items of earlier meetings by meaning, shared words,
who speaks, and the meeting it names ("the consent item from September", "last week's
decision"). The tracker (assistant/track.py) decides what the match does to the item.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import numpy as np

from assistant.embed import Embedder
from assistant.extract.dates import MONTH_NAMES, MONTH_WORDS
from assistant.extract.phrasing import core_text
from assistant.models import Evidence, Item, ItemKind, MeetingKind, Turn

SENTENCE = re.compile(r"(?<=[.!?])\s+")
NAMED = 1.0  # the score of an item a sentence names by its meeting, kind and all

CLAUSE = re.compile(r"[;,]\s+(?:and|but|so|though|although|while)\b|;|\s+but\s+", re.IGNORECASE)


def clause_of(sentence: str, cue: re.Pattern[str]) -> str:
    """The clause of a sentence that holds the cue: "the form has been writing into the CRM
    since the second, and we haven't touched a CSV since" is done; its "haven't" is another
    clause's."""
    match = cue.search(sentence)
    if match is None:
        return sentence
    bounds = [0, *(m.start() for m in CLAUSE.finditer(sentence)), len(sentence)]
    for start, end in zip(bounds, bounds[1:], strict=False):
        if start <= match.start() < end:
            return sentence[start:end]
    return sentence


def evidence_of(turn: Turn, quote: str, meeting_id: int) -> Evidence:
    return Evidence(
        meeting_id=meeting_id,
        turn_index=turn.index,
        speaker=turn.speaker,
        start_s=turn.start_s,
        end_s=turn.end_s,
        quote=quote.strip(),
    )


# ----------------------------------------------------------------- which meeting is named

_MONTH = "|".join(sorted(MONTH_WORDS, key=len, reverse=True))
_THING = r"(?:decision|item|action|question|snag|issue|ask|task|one|sync|meeting|call|review|qbr)"
# A meeting named, not a time said: "the consent item from September", "September's
# decision", "at the September sync"; not "we went live in October" or "I sent it last week".
_MONTH_REF = re.compile(
    rf"\b(?:from (?:the )?({_MONTH})\b|({_MONTH})(?:'s)? {_THING}s?\b)",
    re.IGNORECASE,
)
_LAST_REF = re.compile(
    r"\b(?:last week's|from last (?:week|time)|(?:at|in|from) (?:the |our )?(?:last|previous) "
    r"(?:meeting|sync|call|session|one))\b",
    re.IGNORECASE,
)
_KIND_REF = {
    MeetingKind.qbr: re.compile(r"\b(?:qbr|quarterly(?: business)? review)\b", re.IGNORECASE),
    MeetingKind.monthly_1on1: re.compile(r"\b(?:1:1|one-on-one|1-on-1|one on one)\b", re.I),
}
_ITEM_KIND_REF = {
    ItemKind.decision: re.compile(r"\bdecisions?\b|\bwhat we decided\b", re.IGNORECASE),
    ItemKind.parking: re.compile(
        r"\b(?:question|snag|parking[- ]lot|parked|open issue)s?\b", re.IGNORECASE
    ),
    ItemKind.action: re.compile(r"\b(?:action(?: item)?|task|to-?do|ask)s?\b", re.IGNORECASE),
}


@dataclass(frozen=True)
class Origin:
    """The meeting an earlier item was said in."""

    day: date
    kind: MeetingKind
    latest: bool  # the last meeting before this one


@dataclass(frozen=True)
class MeetingNamed:
    """The meeting a sentence names ("from September", "at the QBR", "last week's"): any of
    these months, kinds of meeting, or the last meeting; an empty set says nothing."""

    months: frozenset[int]
    kinds: frozenset[MeetingKind]
    last: bool

    def matches(self, origin: Origin) -> bool:
        return (
            (not self.months or origin.day.month - 1 in self.months)
            and (not self.kinds or origin.kind in self.kinds)
            and (not self.last or origin.latest)
        )


def meeting_named(sentence: str) -> MeetingNamed | None:
    """The meeting the sentence names, or None when it names none."""
    months = frozenset(
        next(n for n, m in enumerate(MONTH_NAMES) if m.startswith(word.lower()[:3]))
        for match in _MONTH_REF.finditer(sentence)
        for word in match.groups()
        if word
    )
    kinds = frozenset(kind for kind, pattern in _KIND_REF.items() if pattern.search(sentence))
    last = bool(_LAST_REF.search(sentence))
    return MeetingNamed(months, kinds, last) if months or kinds or last else None


_ANY_KIND_REF = re.compile(r"\b(?:item|point|topic|thing)s?\b", re.IGNORECASE)


def names_kind(sentence: str, kind: ItemKind) -> bool:
    """Whether the sentence names an item of this kind ("decision", "question", "action"), or
    an item of any kind ("the consent item")."""
    return bool(_ITEM_KIND_REF[kind].search(sentence) or _ANY_KIND_REF.search(sentence))


@dataclass
class Found:
    """A sentence of the new meeting that speaks of an earlier item."""

    turn: Turn
    sentence: str
    score: float

    def evidence(self, meeting_id: int) -> Evidence:
        return evidence_of(self.turn, self.sentence, meeting_id)


_WORD = re.compile(r"[a-z][a-z0-9'-]{3,}")
_COMMON = frozenset(
    "that this with from have will what when where which there their they them then than "
    "about would could should also just like know think really going been done well okay "
    "yeah right thing things some more time week next last today good great need want "
    "make sure sent send team".split()
)


def _words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _COMMON}


class Said:
    """The meeting's sentences, each read with what was said just before it: the sentence before
    it in its own turn, or for a turn's first sentence the turn before ("The DMARC plan?" ->
    "Sent on Friday."), matched to earlier items by meaning, shared words and who speaks. A
    sentence that reports two things ("I sent Aisha the admin list, and the banner designs went
    to Kenji") is read clause by clause too, so each clause can close its own item."""

    def __init__(
        self, embedder: Embedder, turns: list[Turn], origins: dict[int, Origin] | None = None
    ):
        self.embedder = embedder
        self.origins = origins or {}
        # turn, sentence, the sentence after the turn before, the sentence after the one
        # before it in its own turn (the same as the third for a turn's first sentence)
        self.rows: list[tuple[Turn, str, str, str]] = []
        previous: Turn | None = None
        for turn in turns:
            before = previous.text[-240:] if previous else ""
            just_said = before
            for sentence in SENTENCE.split(turn.text):
                if not sentence.strip():
                    continue
                parts = [sentence.strip()]
                clauses = [c.strip(" ,;") for c in CLAUSE.split(sentence)]
                if len(clauses) > 1 and all(len(c.split()) >= 4 for c in clauses):
                    parts += clauses
                self.rows += [
                    (turn, part, f"{before} {part}".strip(), f"{just_said} {part}".strip())
                    for part in parts
                ]
                just_said = sentence.strip()[-240:]
            previous = turn
        self._vectors: dict[str, np.ndarray] = {}

    def _embed(self, texts: list[str]) -> np.ndarray:
        missing = [t for t in dict.fromkeys(texts) if t not in self._vectors]
        if missing:
            for text, vec in zip(missing, self.embedder.embed_batch(missing), strict=True):
                self._vectors[text] = np.asarray(vec, dtype=np.float32)
        return np.vstack([self._vectors[t] for t in texts])

    def assign(
        self, items: list[tuple[Item, np.ndarray]], cue: re.Pattern[str], threshold: float
    ) -> list[tuple[Item, Found]]:
        """Each item with the cued sentence that best speaks of it, when that is close enough;
        a sentence speaks of one item only (the one it matches best). Questions report
        nothing ("And the chargeback option is off the table?")."""
        rows = [r for r in self.rows if cue.search(r[1]) and not r[1].rstrip().endswith("?")]
        if not rows or not items:
            return []
        own = self._embed([r[1] for r in rows])
        ctx = self._embed([r[2] for r in rows])
        in_turn = self._embed([r[3] for r in rows])
        matrix = np.vstack([v for _, v in items]).T  # dim x items
        scores = np.maximum(own @ matrix, 0.9 * np.maximum(ctx @ matrix, in_turn @ matrix))
        # Someone with one open item who is said to have done something most likely did that
        # ("Bea sent me the list" when Bea owes only the page inventory).
        owed: dict[str, int] = {}
        for item, _ in items:
            if item.owner:
                owed[item.owner.lower()] = owed.get(item.owner.lower(), 0) + 1
        for j, (item, _) in enumerate(items):
            core = _words(core_text(item.text))
            owner = (item.owner or "").lower()
            by_owner_bonus = 0.15 if owner and owed.get(owner) == 1 else 0.05
            for k, (turn, sentence, context, just_said) in enumerate(rows):
                bonus = min(0.15, 0.05 * len(core & (_words(context) | _words(just_said))))
                # The owner speaks, or is the one the sentence is about ("Bea sent me the
                # list", "Nadia's test bills came through"); not "the designs went to Kenji".
                said_by_owner = owner and (
                    (turn.speaker or "").lower() == owner
                    or re.match(
                        rf"\W*(?:and |so |also |then )?{re.escape(owner.split()[0])}\b",
                        sentence.lower(),
                    )
                )
                scores[k, j] += bonus + (by_owner_bonus if said_by_owner else 0.0)
        self._named(items, rows, scores)
        out = []
        for j, (item, _) in enumerate(items):
            k = int(np.argmax(scores[:, j]))
            if scores[k, j] >= threshold and int(np.argmax(scores[k])) == j:
                turn, sentence = rows[k][:2]
                out.append((item, Found(turn, sentence, float(scores[k, j]))))
        return out

    def _named(self, items: list[tuple[Item, np.ndarray]], rows, scores: np.ndarray) -> None:
        """A sentence that names an item's meeting ("the consent item from September") speaks
        of it more likely; one that names the meeting and the kind of just one of the items
        ("that replaces the September decision") speaks of that one."""
        for k, (_, sentence, *_) in enumerate(rows):
            ref = meeting_named(sentence)
            if ref is None:
                continue
            named = [
                j
                for j, (item, _) in enumerate(items)
                if item.id in self.origins and ref.matches(self.origins[item.id])
            ]
            for j in named:
                scores[k, j] += 0.2
            of_kind = [j for j in named if names_kind(sentence, items[j][0].kind)]
            if len(of_kind) == 1:
                scores[k, of_kind[0]] = max(scores[k, of_kind[0]], NAMED)
