"""Find what a question is about: extracted items (by meaning and words) and transcript passages.

Relevance is absolute, not rank-based, so that "nothing found" can be said honestly: an item or
passage counts when its cosine with the topic reaches `min_similarity`, or when it contains at
least `min_coverage` of the topic's words.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date

import numpy as np

from assistant.answer.question import stem
from assistant.answer.types import Question
from assistant.errors import MeetingNotFound
from assistant.models import Item, ItemKind, Meeting, SearchFilters, SearchHit, Team, Turn
from assistant.search import query_terms
from assistant.store import asking
from assistant.store import items as item_store
from assistant.store import meetings as meeting_store

_SENTENCE = re.compile(r"(?<=[.!?])\s+")

# Words that show an action serves a team, when its owner is on the other side.
SERVES: dict[Team, re.Pattern] = {
    Team.marketing: re.compile(
        r"\b(marketing|campaigns?|hubspot|content|leads?|mqls?|brand|ads?|email|audiences?|"
        r"landing|seo|tags?|scoring|attribution|roas|creative|agency|sales|cdp|customers?|"
        r"profiles?|consent|dashboards?|personali[sz]ation|segments?|analytics|web ?site|"
        r"pages?|martech|tools?)\b",
        re.I,
    ),
    Team.it: re.compile(
        r"\b(it|security|okta|sso|warehouse|etl|api|infrastructure|cdn|integration|data"
        r" processing|procurement|legal|privacy|compliance|engineers?)\b",
        re.I,
    ),
}

INTENT_KINDS: dict[str, tuple[ItemKind, ...]] = {
    "decisions": (ItemKind.decision,),
    "actions": (ItemKind.action,),
    "parking": (ItemKind.parking,),
    "goal": (ItemKind.decision, ItemKind.action, ItemKind.parking),
    "general": (ItemKind.decision, ItemKind.action, ItemKind.parking),
}
# A question whose words name no kind of item ("when will the banner be live?", "is the review
# done?", "why did we drop X?") reads the kinds its form of answer is made of.
ASKS_KINDS: dict[str, tuple[ItemKind, ...]] = {
    "owner": (ItemKind.action, ItemKind.decision),
    "status": (ItemKind.action, ItemKind.parking, ItemKind.decision),
    "reason": (ItemKind.decision,),
}


def kinds_for(q: Question) -> tuple[ItemKind, ...]:
    if q.intent == "general" and q.asks in ASKS_KINDS:
        return ASKS_KINDS[q.asks]
    return INTENT_KINDS[q.intent]


@dataclass
class ScoredItem:
    item: Item
    meeting: Meeting
    score: float  # max(cosine, word coverage) with the topic; 1.0 when there is no topic


@dataclass
class Passage:
    hit: SearchHit
    # At least 1.0: the words' coverage over its floor; when that falls short, the larger of
    # it and the best sentence's cosine over its floor.
    relevance: float
    turn: Turn  # the turn of the chunk that answers best
    quote: str  # a verbatim sentence (or sentences) of that turn


def coverage(topic_terms: list[str], text: str, weights: dict[str, float] | None = None) -> float:
    """Share of the topic's words found in `text` (plural-insensitive, whole-word prefix),
    each word weighted by its rarity when `weights` are given."""
    if not topic_terms:
        return 0.0
    low = text.lower()
    weights = weights or {}
    total = sum(weights.get(t, 1.0) for t in topic_terms)
    hit = sum(
        weights.get(t, 1.0)
        for t in topic_terms
        if re.search(rf"(?<![\w]){re.escape(stem(t))}", low)
    )
    return hit / total


def rarity(df: dict[str, int], total: int) -> dict[str, float]:
    """Inverse document frequency: a word found in no chunk weighs most ("Kubernetes" in
    "Kubernetes migration" matters more than "migration")."""
    return {t: math.log((total + 1) / (n + 0.5)) for t, n in df.items()}


def same_person(a: str | None, b: str | None) -> bool:
    """ "Sam" and "Sam Ortiz" are the same person; so are two spellings differing in case."""
    if not a or not b:
        return False
    a, b = a.lower().strip(), b.lower().strip()
    return a == b or a.split()[0] == b.split()[0] and (" " not in a or " " not in b)


def people_teams(items: list[Item]) -> dict[str, Team]:
    """Each owner's usual team, from the items they own (ignoring 'unknown' and 'Joint')."""
    counts: dict[str, Counter] = {}
    for item in items:
        if item.owner and item.team in (Team.it, Team.marketing):
            counts.setdefault(item.owner, Counter())[item.team] += 1
    teams = {owner: c.most_common(1)[0][0] for owner, c in counts.items()}
    for owner, team in list(teams.items()):  # "Sam" inherits what "Sam Ortiz" is known for
        teams.setdefault(owner.split()[0], team)
    return teams


def team_of(item: Item, teams: dict[str, Team]) -> Team:
    if item.team != Team.unknown:
        return item.team
    if item.owner:
        return teams.get(item.owner) or teams.get(item.owner.split()[0], Team.unknown)
    return Team.unknown


class Retriever:
    """Reads items and passages for a parsed question. Never writes."""

    def __init__(self, liaison, *, min_similarity: float = 0.45, min_coverage: float = 0.5):
        self.liaison = liaison
        self.min_similarity = min_similarity
        self.min_coverage = min_coverage
        self._meetings: dict[int, Meeting] = {}
        self._turns: dict[int, list[Turn]] = {}

    # ----------------------------------------------------------------- lookups

    def meeting(self, meeting_id: int) -> Meeting:
        if meeting_id not in self._meetings:
            conn = self.liaison.db.connect()
            self._meetings[meeting_id] = meeting_store.get_meeting(conn, meeting_id)
        return self._meetings[meeting_id]

    def still_there(self, meeting_id: int) -> bool:
        """Whether a meeting read a moment ago still exists (another request may delete it
        while this question is answered). Once seen, it stays in this retriever's cache, so
        what was found can still be cited; what is gone is skipped, not an error."""
        try:
            self.meeting(meeting_id)
        except MeetingNotFound:
            return False
        return True

    def turns(self, meeting_id: int) -> list[Turn]:
        if meeting_id not in self._turns:
            conn = self.liaison.db.connect()
            self._turns[meeting_id] = meeting_store.get_turns(conn, meeting_id)
        return self._turns[meeting_id]

    def speakers(self) -> list[str]:
        conn = self.liaison.db.connect()
        names = set(meeting_store.speakers(conn))
        names |= set(asking.item_owners(conn))
        return sorted(n for n in names if n)

    def all_items(self) -> list[Item]:
        return self.liaison.items(limit=100_000)[0]

    def _topic_vector(self, topic: str) -> np.ndarray | None:
        return self.liaison.embedder.embed_batch([topic])[0] if topic else None

    def _weights(self, terms: list[str]) -> dict[str, float]:
        if not terms:
            return {}
        df, total = asking.document_frequency(self.liaison.db.connect(), [stem(t) for t in terms])
        by_stem = rarity(df, total)
        return {t: by_stem[stem(t)] for t in terms}

    def _relevance(
        self, terms: list[str], vec: np.ndarray | None, text: str, other, weights=None
    ) -> float:
        cos = float(np.max(other @ vec)) if vec is not None and other is not None else 0.0
        cov = coverage(terms, text, weights)
        # Each signal is scaled by its own floor, so 1.0 means "just relevant" for either.
        return max(cos / self.min_similarity, cov / self.min_coverage)

    # ----------------------------------------------------------------- items

    def items(self, q: Question, today: date) -> list[ScoredItem]:
        """Items of the question's kinds, filtered by time, people, team, goal and status,
        scored against the topic; best first (newest first when there is no topic)."""
        conn = self.liaison.db.connect()
        terms = query_terms(q.topic)
        vec = self._topic_vector(q.topic)
        weights = self._weights(terms)
        rng = q.time_range
        teams = people_teams(self.all_items()) if (q.team or q.for_team) else {}
        out: list[ScoredItem] = []
        for kind in kinds_for(q):
            for item, item_vec in item_store.item_vectors(conn, kind):
                if not self.still_there(item.meeting_id):
                    continue
                meeting = self.meeting(item.meeting_id)
                if rng and rng.since and meeting.date < rng.since:
                    continue
                if rng and rng.until and meeting.date > rng.until:
                    continue
                if not self._keep(item, q, today, teams):
                    continue
                if q.goal_id and q.intent == "goal":
                    if item.goal_id != q.goal_id:
                        continue
                    score = 1.0
                elif terms:
                    text = " ".join([item.text, *(e.quote for e in item.evidence)])
                    full = self._relevance(terms, vec, text, item_vec, weights)
                    if full < 1.0:
                        continue
                    # Words found only in the evidence (a neighbouring turn about something
                    # else) count less than words of the item itself.
                    own = self._relevance(terms, vec, item.text, item_vec, weights)
                    score = max(own, 0.7 * full)
                else:
                    score = 1.0
                out.append(ScoredItem(item, meeting, score))
        if q.for_team and out:
            out = self._serving(out, q.for_team, teams)
        out.sort(key=lambda s: (-round(s.score, 3), -s.meeting.date.toordinal(), s.item.id))
        return out

    def _keep(self, item: Item, q: Question, today: date, teams: dict[str, Team]) -> bool:
        if q.owner and not same_person(item.owner, q.owner):
            return False
        if q.team and team_of(item, teams) != q.team:
            return False
        if q.speakers and q.intent != "actions":
            said = {e.speaker for e in item.evidence} | {item.owner}
            if not any(same_person(s, p) for s in said for p in q.speakers):
                return False
        if q.status and q.status != item.status:
            return False
        if q.overdue and not (item.due and item.due < today):
            return False
        if q.intent == "parking" and not q.topic and q.status is None:
            return item.status in ("parked", "revisited")
        return True

    def _serving(
        self, scored: list[ScoredItem], for_team: Team, teams: dict[str, Team]
    ) -> list[ScoredItem]:
        """Actions that serve `for_team`: they say so in words, or someone of that team asked."""
        pattern = SERVES.get(for_team)
        kept = []
        for s in scored:
            text = " ".join([s.item.text, *(e.quote for e in s.item.evidence)])
            asked_by = {teams.get(e.speaker or "") for e in s.item.evidence}
            if (pattern and pattern.search(text)) or for_team in asked_by:
                kept.append(s)
        return kept

    def superseder(self, item: Item) -> Item | None:
        """The decision that replaced `item`, if the tracker linked one."""
        if item.status != "superseded" or not item.related_item_id:
            return None
        try:
            newer = self.liaison.item(item.related_item_id)
        except Exception:  # the newer decision was deleted with its meeting
            return None
        return newer if self.still_there(newer.meeting_id) else None

    # ----------------------------------------------------------------- passages

    def passages(self, q: Question, k: int = 6) -> tuple[list[Passage], bool]:
        """Transcript passages about the topic under the question's filters, relevant ones only.

        When the question names a person, a passage counts only if that person's own words are
        relevant. The flag is True when they said nothing relevant and the passages returned
        are what others said instead.
        """
        if q.speakers:
            own = self._passages(q, k, q.speakers)
            if own:
                return own, False
            others = self._passages(q.model_copy(update={"speakers": []}), k, [])
            return others, bool(others)
        return self._passages(q, k, []), False

    def _passages(self, q: Question, k: int, speakers: list[str]) -> list[Passage]:
        rng = q.time_range
        filters = SearchFilters(
            since=rng.since if rng else None,
            until=rng.until if rng else None,
            speaker=speakers[0] if len(speakers) == 1 else None,
        )
        hits = self.liaison.search(q.topic or q.text, filters, k=k)
        # A meeting deleted since the search answered has no turns left to quote.
        hits = [h for h in hits if self.still_there(h.meeting_id) and self.turns(h.meeting_id)]
        if not hits:
            return []
        terms = query_terms(q.topic)
        vec = self._topic_vector(q.topic)
        weights = self._weights(terms)
        quoted = [self.best_quote(hit, terms, speakers) for hit in hits]
        texts = [hit.text if not speakers else self._said_by(hit, speakers) for hit in hits]
        wanted = [
            not speakers or any(same_person(turn.speaker, p) for p in speakers)
            for turn, _ in quoted
        ]
        lexical = [coverage(terms, t, weights) / self.min_coverage if terms else 1.0 for t in texts]
        # Meaning is judged per sentence (a whole chunk mixes topics and dilutes the cosine),
        # and only where the words alone fall short: embedding every sentence of every passage
        # was most of a cold ask's time, and a passage its words make relevant stays so.
        unsure = [i for i, rel in enumerate(lexical) if wanted[i] and rel < 1.0]
        sentences = {i: self._judged_sentences(terms, texts[i]) for i in unsure}
        flat = [s for i in unsure for s in sentences[i]]
        vectors = self.liaison.embedder.embed_batch(flat) if flat else None
        out, start = [], 0
        for i, (hit, (turn, quote)) in enumerate(zip(hits, quoted, strict=True)):
            rel = lexical[i]
            if i in sentences and vectors is not None:
                own = vectors[start : start + len(sentences[i])]
                start += len(sentences[i])
                rel = self._relevance(terms, vec, texts[i], own, weights)
            if not wanted[i] or rel < 1.0:
                continue
            out.append(Passage(hit, rel, turn, quote))
        return out

    @staticmethod
    def _judged_sentences(terms: list[str], text: str) -> list[str]:
        """The sentences of a passage whose meaning is compared with the topic: those holding a
        topic word when some do, else all. (In the ask evaluation, every passage kept for its
        meaning had its closest sentence among them; the others are about something else.)"""
        sentences = [s for s in _SENTENCE.split(text) if s.strip()] or [text]
        worded = [s for s in sentences if coverage(terms, s) > 0]
        return worded or sentences

    def _said_by(self, hit: SearchHit, speakers: list[str]) -> str:
        turns = self.turns(hit.meeting_id)
        return " ".join(
            t.text
            for t in turns
            if hit.turn_start <= t.index <= hit.turn_end
            and any(same_person(t.speaker, p) for p in speakers)
        )

    def best_quote(self, hit: SearchHit, terms: list[str], speakers: list[str]) -> tuple[Turn, str]:
        """The turn of a chunk and the verbatim sentences of it that match the topic best."""
        turns = [t for t in self.turns(hit.meeting_id) if hit.turn_start <= t.index <= hit.turn_end]
        if speakers:
            theirs = [t for t in turns if any(same_person(t.speaker, p) for p in speakers)]
            turns = theirs or turns
        best: tuple[float, int, Turn, str] | None = None
        for turn in turns:
            sentences = [s for s in _SENTENCE.split(turn.text) if s.strip()]
            for i, sentence in enumerate(sentences):
                score = coverage(terms, sentence) if terms else len(sentence.split()) / 100
                if best is None or score > best[0]:
                    best = (score, i, turn, sentence)
        if best is None:
            return turns[0], turns[0].text
        _, i, turn, sentence = best
        sentences = [s for s in _SENTENCE.split(turn.text) if s.strip()]
        # A very short sentence ("Agreed.") says little alone: add the next one for context.
        if len(sentence.split()) < 6 and i + 1 < len(sentences):
            start = turn.text.find(sentence)
            end = turn.text.find(sentences[i + 1], start) + len(sentences[i + 1])
            sentence = turn.text[start:end]
        return turn, sentence.strip()
