"""The glossary: IT and marketing terms, each explained for the other side, found in meetings.

Built-in terms ship in `assistant/data/glossary.yaml`; terms people add are stored in the
database and override a built-in of the same name. Matching is on word boundaries and
case-aware: acronyms match only in capitals ("SSO", never "also"; "API", never "rapid").
A term with several senses ("SQL": sales-qualified lead or the query language) takes the
sense whose context words occur most around each use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, Field, ValidationError, model_validator

from assistant.errors import InvalidInput, NotFound
from assistant.store import glossary as store
from assistant.store import meetings as meeting_store

BUILTIN_PATH = Path(__file__).parent / "data" / "glossary.yaml"
_ACRONYM = re.compile(r"[A-Z0-9][A-Z0-9/&.]*[A-Z0-9](?:s)?")
_WORD = re.compile(r"\w")


class Sense(BaseModel):
    """One meaning of an ambiguous term, chosen when its context words are near."""

    sense: str
    aliases: list[str] = Field(default_factory=list)
    context: list[str] = Field(default_factory=list)
    for_it: str
    for_marketing: str


class GlossaryTerm(BaseModel):
    term: str = Field(min_length=1, max_length=80)
    aliases: list[str] = Field(default_factory=list)
    for_it: str = ""  # the marketing meaning, explained for IT people
    for_marketing: str = ""  # the IT meaning, explained for marketing people
    senses: list[Sense] = Field(default_factory=list)
    case_sensitive: bool | None = None  # None: acronyms are, other words are not
    source: Literal["builtin", "user"] = "builtin"

    @model_validator(mode="after")
    def _explained(self) -> GlossaryTerm:
        if not self.senses and not (self.for_it.strip() and self.for_marketing.strip()):
            raise ValueError("a term needs both explanations (for IT and for marketing)")
        return self


class TermUse(BaseModel):
    """A glossary term used in a meeting (or a text), in one sense."""

    term: str
    sense: str | None = None
    explanation_for_it: str
    explanation_for_marketing: str
    count: int
    first_turn: int | None = None
    speaker: str | None = None  # who said it first
    example: str = ""  # the words around the first use


def surface_pattern(surface: str, case_sensitive: bool | None) -> str:
    """Regex for one way of writing a term: word-bounded, plural allowed, flexible spacing."""
    parts = [re.escape(p) for p in re.split(r"[\s-]+", surface.strip())]
    body = r"[\s\-]+".join(parts)
    before = r"(?<![\w/])" if _WORD.match(surface[:1]) else ""
    after = r"(?:s|es|'s|’s)?(?![\w/])" if _WORD.match(surface[-1:]) else ""
    sensitive = case_sensitive if case_sensitive is not None else bool(_ACRONYM.fullmatch(surface))
    core = f"{before}{body}{after}"
    return core if sensitive else f"(?i:{core})"


@dataclass
class _Compiled:
    term: GlossaryTerm
    pattern: re.Pattern
    sense_patterns: list[re.Pattern | None]
    context: list[re.Pattern | None]


def _compile(term: GlossaryTerm) -> _Compiled:
    surfaces = [term.term, *term.aliases] + [a for s in term.senses for a in s.aliases]
    alts = sorted({surface_pattern(s, term.case_sensitive) for s in surfaces}, key=len)[::-1]
    sense_patterns: list[re.Pattern | None] = []
    context: list[re.Pattern | None] = []
    for sense in term.senses:
        own = [surface_pattern(a, term.case_sensitive) for a in sense.aliases]
        sense_patterns.append(re.compile("|".join(own)) if own else None)
        words = [rf"\b{re.escape(w)}(?:s|es)?\b" for w in sense.context]
        context.append(re.compile("|".join(words), re.I) if words else None)
    return _Compiled(term, re.compile("|".join(alts)), sense_patterns, context)


@dataclass
class _Hit:
    start: int
    end: int
    compiled: _Compiled


def _find(compiled: list[_Compiled], text: str) -> list[_Hit]:
    """All term uses in `text`; where two overlap, the longer wins ("data pipeline" over
    "pipeline")."""
    hits = [
        _Hit(m.start(), m.end(), c) for c in compiled for m in c.pattern.finditer(text) if m.group()
    ]
    hits.sort(key=lambda h: (h.start, -(h.end - h.start)))
    kept: list[_Hit] = []
    for hit in sorted(hits, key=lambda h: -(h.end - h.start)):
        if all(hit.end <= k.start or hit.start >= k.end for k in kept):
            kept.append(hit)
    return sorted(kept, key=lambda h: h.start)


def choose_sense(compiled: _Compiled, matched: str, around: str) -> int | None:
    """Index of the sense meant: named by a sense's own alias, else most context words near."""
    if not compiled.term.senses:
        return None
    for i, pattern in enumerate(compiled.sense_patterns):
        if pattern is not None and pattern.fullmatch(matched):
            return i
    scores = [len(p.findall(around)) if p is not None else 0 for p in compiled.context]
    return max(range(len(scores)), key=lambda i: (scores[i], -i))


def _explanations(term: GlossaryTerm, sense: int | None) -> tuple[str | None, str, str]:
    if sense is None:
        return None, term.for_it, term.for_marketing
    s = term.senses[sense]
    return s.sense, s.for_it, s.for_marketing


class Glossary:
    """Built-in and user terms; detection of the terms used in a meeting or a text."""

    def __init__(self, liaison, builtin_path: Path | None = None, window_turns: int = 1):
        self.liaison = liaison
        self.builtin_path = builtin_path or BUILTIN_PATH
        self.window_turns = window_turns  # turns before and after a use that decide its sense
        self._compiled: tuple[tuple, list[_Compiled]] | None = None

    @cached_property
    def builtin(self) -> list[GlossaryTerm]:
        data = yaml.safe_load(self.builtin_path.read_text(encoding="utf-8")) or {}
        return [GlossaryTerm.model_validate(t) for t in data.get("terms", [])]

    def terms(self) -> list[GlossaryTerm]:
        """All terms, user terms replacing built-ins of the same name; sorted by name."""
        merged = {t.term.lower(): t for t in self.builtin}
        for data in store.user_terms(self.liaison.db.connect()):
            term = GlossaryTerm.model_validate({**data, "source": "user"})
            builtin = merged.get(term.term.lower())
            if builtin is not None and not term.aliases:
                # A new explanation of a known term is still found by its usual aliases.
                term = term.model_copy(update={"aliases": builtin.aliases})
            merged[term.term.lower()] = term
        return sorted(merged.values(), key=lambda t: t.term.lower())

    def term(self, name: str) -> GlossaryTerm:
        """One term by name or alias (case-insensitive)."""
        low = name.strip().lower()
        for term in self.terms():
            if low == term.term.lower() or low in (a.lower() for a in term.aliases):
                return term
        raise NotFound(f"term {name!r} is not in the glossary")

    def add(self, term: GlossaryTerm | dict, author: str | None = None) -> GlossaryTerm:
        """Add or replace a user term (it overrides a built-in of the same name)."""
        try:
            term = GlossaryTerm.model_validate(
                {**(term.model_dump() if isinstance(term, GlossaryTerm) else term)}
            )
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "term"
            raise InvalidInput(f"glossary term: {where}: {first['msg']}") from exc
        term = term.model_copy(update={"term": term.term.strip(), "source": "user"})
        data = term.model_dump(exclude={"source"})
        with self.liaison.db.transaction() as tx:
            store.upsert_term(tx, term.term, data, author)
        self._compiled = None
        return term

    def remove(self, name: str) -> None:
        """Remove a user term (a built-in of that name shows again)."""
        with self.liaison.db.transaction() as tx:
            if not store.delete_term(tx, name.strip()):
                raise NotFound(f"no user term {name!r} in the glossary")
        self._compiled = None

    def _matchers(self) -> list[_Compiled]:
        terms = self.terms()
        key = tuple(t.model_dump_json() for t in terms if t.source == "user")
        if self._compiled is None or self._compiled[0] != key:
            self._compiled = (key, [_compile(t) for t in terms])
        return self._compiled[1]

    def detect_text(self, text: str) -> list[TermUse]:
        """Terms used in a text, each with its sense chosen by the words around it."""
        uses = self._detect([(None, None, text)])
        return uses

    def detect(self, meeting_id: int) -> list[TermUse]:
        """Terms used in a meeting, in order of first use, with counts."""
        conn = self.liaison.db.connect()
        meeting_store.get_meeting(conn, meeting_id)  # raises MeetingNotFound
        turns = meeting_store.get_turns(conn, meeting_id)
        return self._detect([(t.index, t.speaker, t.text) for t in turns])

    def _detect(self, turns: list[tuple[int | None, str | None, str]]) -> list[TermUse]:
        compiled = self._matchers()
        found: dict[tuple[str, str | None], TermUse] = {}
        for pos, (index, speaker, text) in enumerate(turns):
            hits = _find(compiled, text)
            if not hits:
                continue
            lo, hi = max(0, pos - self.window_turns), pos + self.window_turns + 1
            around = " ".join(t[2] for t in turns[lo:hi])
            for hit in hits:
                term = hit.compiled.term
                sense = choose_sense(hit.compiled, text[hit.start : hit.end], around)
                name, for_it, for_mkt = _explanations(term, sense)
                key = (term.term, name)
                if key in found:
                    found[key].count += 1
                    continue
                found[key] = TermUse(
                    term=term.term,
                    sense=name,
                    explanation_for_it=for_it,
                    explanation_for_marketing=for_mkt,
                    count=1,
                    first_turn=index,
                    speaker=speaker,
                    example=_excerpt(text, hit.start, hit.end),
                )
        return sorted(found.values(), key=lambda u: (u.first_turn or 0, u.term.lower()))


def _excerpt(text: str, start: int, end: int, width: int = 80) -> str:
    """The words around a match, cut at word boundaries."""
    lo = max(0, start - width)
    hi = min(len(text), end + width)
    if lo > 0:
        lo = text.find(" ", lo) + 1 or lo
    if hi < len(text):
        hi = text.rfind(" ", start, hi) if text.rfind(" ", start, hi) > end else hi
    return ("…" if lo > 0 else "") + text[lo:hi].strip() + ("…" if hi < len(text) else "")
