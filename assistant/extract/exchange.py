"""Who speaks to whom: candidates, the people in a meeting, and its turns as sentence groups.

Shared by the conversation patterns (`dialogue.py`) and the folding of restatements
(`restatements.py`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from assistant.extract.features import Unit
from assistant.extract.rules import name_variants
from assistant.extract.signals import REQUEST, STOP, THIRD_PERSON_COMMIT, content_words
from assistant.models import ItemKind, Team


@dataclass
class Candidate:
    """An item the conversation supports. Unit indices refer to the sentence units."""

    kind: ItemKind
    head: int  # the sentence that states the item
    support: list[int] = field(default_factory=list)  # acceptance, agreement, recap mentions
    owner: str | None = None
    due_phrase: str | None = None
    strength: float = 0.5  # how explicit the words are, 0..1
    pattern: str = ""
    topic: int | None = None  # for a back-reference or deferral: the sentence it is about
    recapped: bool = False  # the meeting's recap repeats it

    def units(self) -> list[int]:
        extra = [self.topic] if self.topic is not None else []
        return sorted({self.head, *self.support, *extra})


@dataclass
class Context:
    """What the patterns need beyond the sentences: who is who, and the name patterns."""

    names: dict[str, str]  # lower-case full or first name -> full name
    teams: Mapping[str, Team]
    addressed: tuple[re.Pattern[str], ...] = ()
    assigned: tuple[re.Pattern[str], ...] = ()

    @classmethod
    def build(cls, speakers: Iterable[str], teams: Mapping[str, Team] | None = None) -> Context:
        people = list(dict.fromkeys([*speakers, *(teams or {})]))
        # A label that is also a word ("ME" and "ID" in AMI, "Will") cannot be told from the
        # word once lower-cased: such names are not looked for in the text.
        names = {k: v for k, v in name_variants(people).items() if len(k) > 2 and k not in STOP}
        if not names:
            return cls(names={}, teams=dict(teams or {}))
        alt = "|".join(re.escape(v) for v in sorted(names, key=len, reverse=True))
        addressed = (
            rf"^\W*(?:(?:and|so|okay|ok|then|now|also)\W+)?({alt})\b\s*[,:—-]",
            rf"[,—-]\s*({alt})\s*[?.!]*\s*$",
            rf"\b(?:you|your team),?\s+({alt})\s*,",
            rf"\b(?:for|to)\s+({alt})\s*[?.!]*\s*$",
        )
        assigned = (
            rf"\b({alt}){THIRD_PERSON_COMMIT}",
            rf"\b(?:action(?: item)?s?|to-?do) (?:for|on) ({alt})\b",
        )
        return cls(
            names=names,
            teams=dict(teams or {}),
            addressed=tuple(re.compile(p) for p in addressed),
            assigned=tuple(re.compile(p) for p in assigned),
        )


def _first_name(patterns: tuple[re.Pattern[str], ...], text: str, speaker, ctx) -> str | None:
    lowered = text.lower()
    for pattern in patterns:
        match = pattern.search(lowered)
        if match and ctx.names[match.group(1)] != speaker:
            return ctx.names[match.group(1)]
    return None


def addressee(text: str, speaker: str | None, ctx: Context) -> str | None:
    """The person a sentence speaks to: "Raj, can you…", "…, Raj?", "can you, Raj, …"."""
    return _first_name(ctx.addressed, text, speaker, ctx)


def third_person_owner(text: str, speaker: str | None, ctx: Context) -> str | None:
    """'Priya will own the checklist', 'Raj to send the quote', 'action for Tom: …'."""
    return _first_name(ctx.assigned, text, speaker, ctx)


def _turn_starts(units: list[Unit]) -> list[int]:
    """Index of the first unit of each turn, in order."""
    return [i for i, u in enumerate(units) if i == 0 or units[i - 1].turn_index != u.turn_index]


class TurnView:
    """Units grouped by turn, with next/previous turn lookups by unit index."""

    def __init__(self, units: list[Unit]):
        self.units = units
        starts = _turn_starts(units)
        self.groups = [
            list(range(a, b)) for a, b in zip(starts, [*starts[1:], len(units)], strict=True)
        ]
        self.group_of = {i: g for g, members in enumerate(self.groups) for i in members}

    def following(self, i: int, n: int = 2) -> list[list[int]]:
        g = self.group_of[i]
        return self.groups[g + 1 : g + 1 + n]

    def previous(self, i: int, n: int = 1) -> list[list[int]]:
        g = self.group_of[i]
        return self.groups[max(0, g - n) : g][::-1]

    def same_turn_before(self, i: int) -> list[int]:
        return [j for j in self.groups[self.group_of[i]] if j < i][::-1]


def topic_before(units: list[Unit], turns: TurnView, i: int, min_words: int = 3) -> int | None:
    """The sentence a back-reference points to: earlier in the same turn, else the last
    substantive sentence of the previous turns (a request first)."""
    for j in turns.same_turn_before(i):
        if len(content_words(units[j].text)) >= min_words:
            return j
    for group in turns.previous(i, 2):
        requests = [j for j in group if REQUEST.search(units[j].text)]
        for j in requests[::-1] + group[::-1]:
            if len(content_words(units[j].text)) >= min_words:
                return j
    return None


def said_in(units: list[Unit], members: list[int]) -> str:
    return " ".join(units[m].text for m in members)
