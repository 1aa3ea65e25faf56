"""The default extractor: conversation patterns, a unit classifier and an item scorer; offline.

Pipeline per meeting:

1. turns -> sentences; `dialogue.find_candidates` reads the exchanges that leave items behind
   (a request and its acceptance, a self-commitment, a proposal and its agreement, markers,
   deferrals, the recap), with owner and spoken due phrase;
2. the unit classifier (`unit_model.py`, trained on AMI) scores every unit; its peaks are
   candidates too, where no pattern spoke. On the leaders' own meetings (weekly syncs, 1:1s,
   QBRs) a second one, trained on the business set, scores them too: it knows how those
   meetings state their items;
3. the item scorer (`candidates.py`, trained on AMI, ethpm and the business set) gives each
   candidate the probability that a leader would write it down; those above the kind's
   threshold become items (the number of items follows the evidence: there is no quota). The
   leaders' meetings have a scorer of their own, which reads the business scores and whose
   thresholds were tuned on their meetings alone;
4. owner, team, due date (resolved from the meeting date) and a readable text (`phrasing.py`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.embed import Embedder, MiniLMEmbedder, embed_texts
from assistant.extract.candidates import (
    ITEM_WEIGHTS,
    LEADERS_ITEM_WEIGHTS,
    ItemScorer,
    candidate_features,
    model_candidates,
)
from assistant.extract.dates import resolve_due
from assistant.extract.dialogue import find_candidates
from assistant.extract.exchange import Candidate, Context, TurnView, topic_before
from assistant.extract.features import Unit, build_features, split_units
from assistant.extract.phrasing import action_text, decision_text, ends_pointing, parking_text
from assistant.extract.rules import find_owner, guess_team
from assistant.extract.unit_model import (
    BUSINESS_WEIGHTS,
    DEFAULT_WEIGHTS,
    Weights,
    evidence_for,
    headline_first,
    unit_scores,
)
from assistant.models import (
    DraftItem,
    ExtractionResult,
    Goal,
    ItemKind,
    Meeting,
    MeetingKind,
    Team,
    Turn,
)


@dataclass
class Scored:
    """Everything the extractor knows about a meeting before it picks items (bench/ trains and
    tunes the item scorer on these)."""

    sentences: list[Unit]
    candidates: list[Candidate]
    features: np.ndarray
    probabilities: np.ndarray
    threshold: dict[ItemKind, float] | None = None  # of the scorer that gave them


_WE_WILL = re.compile(r"\b(?:we'll|we will|we're going to|we are going to|we're gonna)\b", re.I)
# The leaders' own meetings, where the business unit classifier is read (an engineering call
# or a design review is "other", and reads as before).
LEADERS_KINDS = frozenset({MeetingKind.weekly_sync, MeetingKind.monthly_1on1, MeetingKind.qbr})
MOMENT_TURNS = 2  # a pattern's moment: its head turn and the cited turns this close to it
# A decision in so many words ("we'll go with Segment", a proposal, a call for objections) that
# another speaker then agrees to is the meeting's decision even where the scorer, which leans
# on the business classifier's reading of the whole unit, is unsure: it passes at this
# probability whatever the kind's threshold.
AGREED_DECISION_P = 0.5
_STATED_DECISIONS = frozenset(
    {"decision", "proposal+agreement", "statement+agreement", "objection-call"}
)


def agreed_by_another(cand: Candidate, sentences: list[Unit]) -> bool:
    """An explicitly stated decision that someone other than its speaker agrees to."""
    if cand.kind != ItemKind.decision or cand.pattern not in _STATED_DECISIONS:
        return False
    said_by = sentences[cand.head].speaker
    return any(sentences[s].speaker != said_by for s in cand.support)


class OfflineExtractor:
    """Patterns + classifier + item scorer; satisfies `assistant.extract.base.Extractor`."""

    name = "offline:v3"

    def __init__(
        self,
        embedder: Embedder | None = None,
        weights_path: Path | None = None,
        teams: Mapping[str, Team] | Callable[[], Mapping[str, Team]] | None = None,
        scorer: ItemScorer | None = None,
        business: Weights | None = None,
        leaders: ItemScorer | None = None,
    ):
        self.embedder = embedder or MiniLMEmbedder()
        self.weights = Weights.load(weights_path or DEFAULT_WEIGHTS)
        # bench/ passes a business model that never saw the series it scores, so that the item
        # scorer learns on the scores a new writer's meetings will get.
        self.business = business or Weights.load(BUSINESS_WEIGHTS)
        self.scorer = scorer or ItemScorer.load(ITEM_WEIGHTS)
        # The item scorer of the leaders' own meetings, which reads the business model too.
        self.leaders = leaders or ItemScorer.load(LEADERS_ITEM_WEIGHTS)
        # Who is on which side: a mapping, or a callable read at each extraction (the service
        # passes its people directory, which changes while it runs).
        self._teams = teams

    def teams(self) -> dict[str, Team]:
        found = self._teams() if callable(self._teams) else self._teams
        return dict(found or {})

    def score(self, turns: list[Turn], kind: MeetingKind = MeetingKind.other) -> Scored:
        """Sentences, candidates, their features and probabilities (`kind`: the meeting's)."""
        units = split_units(turns, self.weights.meta.get("split_min_words", 25))
        sentences = split_units(turns, 0)
        if not units or not sentences:
            return Scored(sentences, [], np.zeros((0, 0)), np.zeros(0))
        emb = embed_texts(self.embedder, [u.text for u in units], batch_size=512)
        features = build_features(units, emb)
        scores = unit_scores(features, self.weights)
        leaders = kind in LEADERS_KINDS
        business = unit_scores(features, self.business) if leaders else None
        scorer = self.leaders if leaders else self.scorer
        unit_of = _unit_map(sentences, units)
        sentences_of_unit: list[list[int]] = [[] for _ in units]
        for i, u in enumerate(unit_of):
            sentences_of_unit[u].append(i)
        speakers = [t.speaker for t in turns if t.speaker]
        cands = find_candidates(sentences, Context.build(speakers, self.teams()))
        cands += model_candidates(
            scores, units, sentences, sentences_of_unit, self.weights.params, scorer.floor
        )
        x = candidate_features(cands, sentences, unit_of, emb, scores, business)
        return Scored(sentences, cands, x, scorer.probabilities(cands, x), scorer.threshold)

    def extract(self, meeting: Meeting, turns: list[Turn], goals: list[Goal]) -> ExtractionResult:
        """Decisions, actions and parked snags with verbatim evidence (goal linking: caller)."""
        scored = self.score(turns, meeting.kind)
        return ExtractionResult(
            items=self.select(scored, meeting, turns, scored.threshold or self.scorer.threshold),
            extractor=self.name,
        )

    def select(
        self, scored: Scored, meeting: Meeting, turns: list[Turn], threshold: dict[ItemKind, float]
    ) -> list[DraftItem]:
        """Candidates above their kind's threshold, one item per sentence (the likelier reading),
        as drafts."""
        best: dict[int, tuple[float, Candidate]] = {}
        for cand, p in zip(scored.candidates, scored.probabilities, strict=True):
            if p < threshold[cand.kind] and not (
                p >= AGREED_DECISION_P and agreed_by_another(cand, scored.sentences)
            ):
                continue
            if cand.head not in best or p > best[cand.head][0]:
                best[cand.head] = (float(p), cand)

        # Two readings of one moment are one item, the likelier. A moment is the turns a
        # pattern cites around its head, or a classifier peak's own turn and its neighbours
        # (not the whole discussion it quotes, nor the recap that repeats it: those may hold
        # other items).
        def moment(c: Candidate) -> set[int]:
            head = scored.sentences[c.head].turn_index
            if c.pattern == "model":
                return {head - 1, head, head + 1}
            cited = {scored.sentences[m].turn_index for m in c.units()}
            return {t for t in cited if abs(t - head) <= MOMENT_TURNS}

        kept: list[tuple[float, Candidate]] = []
        for p, cand in sorted(best.values(), key=lambda pc: -pc[0]):
            mine, head_turn = moment(cand), scored.sentences[cand.head].turn_index
            if any(
                other.kind == cand.kind
                and (scored.sentences[other.head].turn_index in mine or head_turn in moment(other))
                for _, other in kept
            ):
                continue
            kept.append((p, cand))
        best = {cand.head: (p, cand) for p, cand in kept}
        turns_by_index = {t.index: t for t in turns}
        names = sorted({t.speaker for t in turns if t.speaker})
        teams = self.teams()  # the directory, read once per meeting
        drafts = [
            self._draft(cand, p, scored.sentences, turns_by_index, names, teams, meeting)
            for p, cand in best.values()
        ]
        return sorted(drafts, key=lambda it: (it.evidence[0].turn_index, it.kind.value))

    def _draft(
        self,
        cand: Candidate,
        confidence: float,
        units: list[Unit],
        turns_by_index: dict[int, Turn],
        names: list[str],
        teams: dict[str, Team],
        meeting: Meeting,
    ) -> DraftItem:
        head = units[cand.head].text
        topic = units[cand.topic].text if cand.topic is not None else None
        owner = cand.owner
        if cand.kind == ItemKind.action and owner is None and cand.pattern == "model":
            owner = find_owner(head, units[cand.head].speaker, names)
            if owner is None and _WE_WILL.search(head):
                owner = units[
                    cand.head
                ].speaker  # "we'll research it for next time": who says it drives it
        due = resolve_due(cand.due_phrase, meeting.date) if cand.due_phrase else None
        if (
            cand.kind == ItemKind.action
            and topic is None
            and ends_pointing(head, owner, cand.due_phrase)
        ):
            about = topic_before(units, TurnView(units), cand.head)  # what "that" is
            topic = units[about].text if about is not None else None
        if cand.kind == ItemKind.action:
            text = action_text(owner, head, topic, due, cand.due_phrase)
        elif cand.kind == ItemKind.decision:
            # "I'd like to retire it." + "Just switch it off…": the proposal goes on.
            text = decision_text(f"{head} {topic}" if topic else head)
        else:
            text = parking_text(head, topic, names)
        said = " ".join(units[m].text for m in cand.units())
        team = guess_team(said, owner, teams)
        if cand.kind == ItemKind.decision and team == Team.unknown:
            team = Team.joint
        return DraftItem(
            kind=cand.kind,
            text=text,
            owner=owner if cand.kind == ItemKind.action else None,
            team=team,
            due=due,
            due_phrase=cand.due_phrase,
            confidence=round(max(0.0, min(1.0, confidence)), 3),
            evidence=headline_first(
                evidence_for(cand.units(), units, turns_by_index), units[cand.head].turn_index
            ),
        )


def _unit_map(sentences: list[Unit], units: list[Unit]) -> list[int]:
    """For each sentence, the classifier unit that contains it (same turn, overlapping chars)."""
    out, j = [], 0
    for s in sentences:
        while j + 1 < len(units) and (
            units[j].turn_index < s.turn_index
            or (units[j].turn_index == s.turn_index and units[j].char_end <= s.char_start)
        ):
            j += 1
        out.append(j)
    return out
