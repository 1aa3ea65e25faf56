"""The offline extractor (assistant/extract/offline.py) with its committed AMI-trained weights."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from assistant.embed import HashingEmbedder, MiniLMEmbedder
from assistant.extract.base import Extractor
from assistant.extract.candidates import (
    BUSINESS_COLUMNS,
    ITEM_WEIGHTS,
    LEADERS_ITEM_WEIGHTS,
    PATTERNS,
    SHAPE_NAMES,
    ItemScorer,
    headline_sentence,
    model_candidates,
)
from assistant.extract.features import build_features, split_units
from assistant.extract.offline import OfflineExtractor
from assistant.extract.unit_model import DEFAULT_WEIGHTS, KindParams, Weights, select_groups
from assistant.models import ItemKind, Meeting, MeetingKind, Team, Turn

FIXTURES = Path(__file__).parent / "fixtures"

CIO_CMO = [
    ("Dana", "Morning. Two things today: the CDP choice and SSO for the marketing tools."),
    ("Priya", "We compared Segment and mParticle over the last two weeks."),
    ("Dana", "Segment's pricing is fine and the IT review came back clean."),
    ("Priya", "Okay, so we'll go with Segment as the CDP."),
    ("Dana", "Agreed."),
    ("Priya", "Sam, can you set up SSO for HubSpot by Friday?"),
    ("Sam", "Sure, I'll get it done."),
    ("Dana", "Attribution keeps coming up, but we don't have the data yet."),
    ("Priya", "Let's park the attribution question for now."),
    ("Dana", "Fine. Thanks everyone."),
]


def cio_cmo_turns() -> list[Turn]:
    return [
        Turn(index=i, speaker=s, text=t, start_s=i * 10.0, end_s=i * 10.0 + 8)
        for i, (s, t) in enumerate(CIO_CMO)
    ]


TUESDAY = Meeting(id=1, title="CIO/CMO weekly", date=date(2026, 10, 6))


@pytest.mark.parametrize("path", [ITEM_WEIGHTS, LEADERS_ITEM_WEIGHTS])
def test_item_scorer_weights_load_safely_and_match_the_features(path):
    scorer = ItemScorer.load(path)  # allow_pickle=False inside; feature names checked
    assert path.stat().st_size < 1024 * 1024
    assert set(scorer.coef) == set(ItemKind)
    assert all(0 < t < 1 for t in scorer.threshold.values())
    width = len(PATTERNS) + len(SHAPE_NAMES) + 384
    assert scorer.mu.shape == (width,) and all(c.shape == (width,) for c in scorer.coef.values())


def test_weights_load_safely_and_are_small():
    assert DEFAULT_WEIGHTS.stat().st_size < 5 * 1024 * 1024
    weights = Weights.load(DEFAULT_WEIGHTS)  # allow_pickle=False inside
    assert set(weights.coef) == {ItemKind.decision, ItemKind.action, ItemKind.parking}
    assert weights.meta["version"] == "offline:v2"
    dim = weights.mu.shape[0]
    assert all(c.shape == (dim,) for c in weights.coef.values())


def test_long_turns_split_into_units_that_quote_the_turn_verbatim():
    text = (
        "We looked at three vendors over the summer and the numbers were close. "
        "Segment wins on integrations and on price for our volume next year. "
        "So we'll go with Segment as the CDP."
    )
    units = split_units([Turn(index=4, speaker="Priya", text=text)], min_words=10)
    assert len(units) == 3
    assert all(text[u.char_start : u.char_end] == u.text for u in units)
    assert {u.turn_index for u in units} == {4}


def test_features_match_the_weights_dimension():
    turns = cio_cmo_turns()
    units = split_units(turns)
    emb = HashingEmbedder(dim=384).embed_batch([u.text for u in units])
    x = build_features(units, emb)
    assert x.shape == (len(units), Weights.load(DEFAULT_WEIGHTS).mu.shape[0])
    assert np.isfinite(x).all()


def test_score_grouping_cites_the_strongest_turns_of_the_discussion_not_just_neighbours():
    turns = [Turn(index=i, speaker="PM" if i % 2 else "ME", text=f"turn {i}") for i in range(30)]
    units = split_units(turns)
    p = np.full(30, 0.01)
    p[[10, 18, 3, 25, 14, 22]] = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4]  # a summary and its agreements
    params = KindParams(0.3, 100.0, 1, 0.0, 15, 2, 0.9, 1.0, 0.0, pick="score")
    peak, members = select_groups(p, units, params)[0]
    assert peak == 10
    assert members == [3, 10, 14, 18, 25]  # the five strongest within 15 units; 22 is 6th
    near = select_groups(p, units, KindParams(0.3, 100.0, 1, 0.0, 15, 2, 0.9, 1.0, 0.0))[0]
    assert near[1] == [8, 9, 10, 11, 12]  # the default grouping takes the closest units


@pytest.fixture(scope="module")
def minilm():
    return MiniLMEmbedder()


@pytest.mark.model
def test_finds_decision_action_and_parked_snag_in_a_cio_cmo_meeting(minilm):
    extractor = OfflineExtractor(embedder=minilm, teams={"Sam": Team.it})
    assert isinstance(extractor, Extractor)
    turns = cio_cmo_turns()
    result = extractor.extract(TUESDAY, turns, goals=[])
    assert result.extractor == "offline:v3"

    def cites(kind: ItemKind, turn_index: int):
        """Items of `kind` that the turn states (their first quote; later ones back it)."""
        return [
            it for it in result.items if it.kind == kind and it.evidence[0].turn_index == turn_index
        ]

    decision = cites(ItemKind.decision, 3)
    action = cites(ItemKind.action, 5)
    parked = cites(ItemKind.parking, 8)
    assert decision and action and parked, result.items
    # The turn that says the item is quoted first; readers and links use the first quote.
    assert decision[0].evidence[0].turn_index == 3
    assert action[0].evidence[0].turn_index == 5
    assert parked[0].evidence[0].turn_index == 8
    assert action[0].owner == "Sam"  # the person asked, who accepts ("Sure, I'll get it done.")
    assert action[0].due == date(2026, 10, 9)  # "by Friday", said on Tuesday 6 October
    assert action[0].team == Team.it
    assert decision[0].due is None and parked[0].due is None  # nobody said a date
    assert "Segment" in decision[0].text and not decision[0].text.lower().startswith("okay")
    for item in result.items:
        assert 1 <= len(item.evidence) <= 5
        assert 0.0 <= item.confidence <= 1.0
        for ev in item.evidence:
            assert ev.quote in turns[ev.turn_index].text
            assert ev.speaker == turns[ev.turn_index].speaker


@pytest.mark.model
def test_empty_transcript_gives_no_items(minilm):
    result = OfflineExtractor(embedder=minilm).extract(TUESDAY, [], goals=[])
    assert result.items == []


@pytest.mark.model
def test_ami_excerpt_task_assignment_is_found(minilm):
    """AMI ES2003c (dev split): the project manager hands out the tasks for next time."""
    excerpt = json.loads((FIXTURES / "ami_excerpt.json").read_text())
    assert excerpt["meeting_id"] == "ES2003c"
    rows = excerpt["utterances"]
    turns = [
        Turn(index=i, speaker=role, text=text, start_s=start, end_s=end)
        for i, (_id, role, start, end, text) in enumerate(rows)
    ]
    gold = {
        i for g in excerpt["gold"] for i, row in enumerate(rows) if row[0] in g["evidence_da_ids"]
    }
    meeting = Meeting(id=2, title=excerpt["meeting_id"], date=date(2026, 10, 6))
    result = OfflineExtractor(embedder=minilm).extract(meeting, turns, goals=[])
    actions = [it for it in result.items if it.kind == ItemKind.action]
    assert actions
    assert any(e.turn_index in gold for it in actions for e in it.evidence)
    assert all(it.due is None for it in actions)  # "next meeting" is not a date


@pytest.mark.model
def test_one_sentence_becomes_one_item_of_one_kind(minilm):
    # In the sample QBR "It's still in the parking lot. Let's keep it there until the CDP is
    # live" scores as a decision and as a parked snag; it must come out once.
    from assistant.ingest import parse_transcript
    from tests.conftest import SAMPLES

    qbr = SAMPLES / "2026-10-27-qbr.docx"
    turns = parse_transcript(qbr.read_bytes(), qbr.name).turns
    result = OfflineExtractor(embedder=minilm).extract(TUESDAY, turns, goals=[])
    said = [(item.evidence[0].turn_index, item.text) for item in result.items]
    assert result.items and len(said) == len(set(said))


def test_a_bare_acknowledgement_never_heads_an_item():
    turns = [
        Turn(index=0, speaker="Raj Mehta", text="Great. The Boost pages launch with first-party "
             "analytics only, no Meta pixels, until consent is live."),
        Turn(index=1, speaker="Elena Park", text="Okay. Sure."),
    ]  # fmt: skip
    sentences = split_units(turns, 0)
    assert sentences[headline_sentence(ItemKind.decision, [0, 1], sentences)].text.startswith(
        "The Boost pages launch"
    )
    assert headline_sentence(ItemKind.decision, [2, 3], sentences) is None


def decision_peaks(units, p: np.ndarray):
    """The classifier's decision candidates when it gives each sentence (a unit of its own)
    the decision probability `p` and no action."""
    return model_candidates(
        {ItemKind.decision: p, ItemKind.action: np.zeros(len(units))},
        units,
        units,
        [[i] for i in range(len(units))],
        Weights.load(DEFAULT_WEIGHTS).params,
        {ItemKind.decision: 0.1, ItemKind.action: 0.9, ItemKind.parking: 0.9},
    )


def test_a_status_report_is_never_a_classifier_decision():
    turns = [
        Turn(index=0, speaker="Priya Shah", text="We're at one point five seconds at p95, down "
             "from one point eight, because we removed nine dead tags."),
        Turn(index=1, speaker="Elena Park", text="We'll split the mParticle licence sixty-forty, "
             "marketing sixty, including run cost."),
    ]  # fmt: skip
    filler = [Turn(index=0, speaker="Raj Mehta", text="Right, okay, thanks for that.")] * 12
    turns = [turns[0], *filler, turns[1]]
    turns = [t.model_copy(update={"index": i}) for i, t in enumerate(turns)]
    units = split_units(turns, 0)
    high = np.array([0.95 if u.turn_index in (0, 13) else 0.0 for u in units])  # sure of both
    cands = decision_peaks(units, high)
    assert [units[c.head].turn_index for c in cands] == [13]


def test_an_option_weighed_is_never_a_classifier_decision():
    turns = [
        Turn(index=0, speaker="Sam Ortiz", text="We could, but the data isn't there yet. Until "
             "the CDP stitches web and email identities, any multi-touch model is guesswork."),
    ]  # fmt: skip
    units = split_units(turns, 0)
    cands = decision_peaks(units, np.full(len(units), 0.95))
    assert cands == []


def test_wishes_needs_assumptions_and_quips_are_never_classifier_decisions():
    said = [
        "We'd like to launch the texting in November, now that we know the rules.",
        "My working assumption is that we move maybe half of the pages and archive the rest.",
        "The question is who pays, events or central marketing.",
        "I need to push the consent mapping to the 23rd.",
        "Best joke of the quarter.",
        "We retire the legacy welcome journey on Friday and point new guests at Braze.",
    ]
    filler = "Right, okay, thanks for that."
    turns = []
    for text in said:
        turns += [Turn(index=0, speaker="Sam Ortiz", text=text)]
        turns += [Turn(index=0, speaker="Raj Mehta", text=filler)] * 12
    turns = [t.model_copy(update={"index": i}) for i, t in enumerate(turns)]
    units = split_units(turns, 0)
    high = np.array([0.0 if u.text == filler else 0.95 for u in units])
    cands = decision_peaks(units, high)
    assert [units[c.head].text for c in cands] == [said[-1]]


def test_a_classifier_peak_on_the_recap_does_not_swallow_the_commitments_it_repeats():
    from assistant.extract.exchange import Candidate
    from assistant.extract.offline import Scored

    said = [
        ("Raj Mehta", "Tomás, can you look at the vendor's data terms before we sign?"),
        ("Tomás Herrera", "Yeah, I can get you that Thursday."),
        *[("Raj Mehta", f"Status item {n} is green, nothing to add there.") for n in range(4)],
        ("Elena Park", "Tomás reads the vendor data terms, Thursday."),
    ]
    turns = [Turn(index=i, speaker=s, text=t) for i, (s, t) in enumerate(said)]
    units = split_units(turns, 0)
    recap = len(units) - 1
    cands = [
        Candidate(ItemKind.action, 0, support=[1, recap], owner="Tomás Herrera",
                  due_phrase="Thursday", strength=0.9, pattern="request+acceptance"),
        Candidate(ItemKind.action, recap, support=[0, 1], strength=0.4, pattern="model"),
    ]  # fmt: skip
    scored = Scored(units, cands, np.zeros((2, 1)), np.array([0.9, 0.95]))
    extractor = OfflineExtractor(HashingEmbedder())
    meeting = Meeting(id=1, title="Weekly sync", date=date(2026, 9, 8))
    drafts = extractor.select(scored, meeting, turns, {k: 0.3 for k in ItemKind})
    owners = [d.owner for d in drafts if d.evidence[0].turn_index == 0]
    assert owners == ["Tomás Herrera"]


def test_a_decision_told_as_background_is_never_a_classifier_decision():
    turns = [
        Turn(index=0, speaker="Sam Ortiz", text="Now that we've decided where the data goes, the "
             "Lisbon manager asked if the bot can speak Portuguese."),
    ]  # fmt: skip
    units = split_units(turns, 0)
    assert decision_peaks(units, np.full(len(units), 0.95)) == []


def test_work_a_speaker_says_we_will_do_is_theirs_when_no_one_else_is_named():
    from assistant.extract.exchange import Candidate
    from assistant.extract.offline import Scored

    said = [
        ("Justin Florentine", "Okay, then we'll research this bundle issue for our next meeting."),
        ("Raj Mehta", "Sounds good."),
    ]
    turns = [Turn(index=i, speaker=s, text=t) for i, (s, t) in enumerate(said)]
    units = split_units(turns, 0)
    cands = [Candidate(ItemKind.action, 0, strength=0.4, pattern="model")]
    scored = Scored(units, cands, np.zeros((1, 1)), np.array([0.9]))
    meeting = Meeting(id=1, title="Weekly sync", date=date(2026, 9, 8))
    [draft] = OfflineExtractor(HashingEmbedder()).select(
        scored, meeting, turns, {k: 0.3 for k in ItemKind}
    )
    assert draft.owner == "Justin Florentine"


@pytest.mark.model
def test_the_leaders_own_meetings_are_read_with_the_business_classifier_and_others_not(minilm):
    """A weekly sync, 1:1 or QBR gets the business unit classifier's scores and the leaders'
    item scorer; a meeting of another kind (an engineering call) reads as it always did."""
    ex = OfflineExtractor(embedder=minilm)
    business = BUSINESS_COLUMNS
    first = business.start
    other = ex.score(cio_cmo_turns(), MeetingKind.other)
    sync = ex.score(cio_cmo_turns(), MeetingKind.weekly_sync)
    assert [c.head for c in other.candidates] == [c.head for c in sync.candidates]
    assert not other.features[:, business].any()
    assert (sync.features[:, first] == 1.0).all()
    assert sync.features[:, first + 1 : business.stop].any()
    assert other.threshold == ex.scorer.threshold and sync.threshold == ex.leaders.threshold
    assert not np.allclose(other.probabilities, sync.probabilities)
    weekly = Meeting(id=1, title="CIO/CMO weekly", date=date(2026, 10, 6), kind="weekly_sync")
    kinds = {it.kind for it in ex.extract(weekly, cio_cmo_turns(), goals=[]).items}
    assert kinds == {ItemKind.decision, ItemKind.action, ItemKind.parking}
