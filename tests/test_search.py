"""Search as users rely on it: names, filters, exact words, the result schema, deletion."""

from __future__ import annotations

import json
from datetime import date

import numpy as np

from assistant.models import MeetingKind, SearchFilters
from assistant.rank import diversify, named_speakers, standardise, topic_of
from assistant.search import query_terms

# Each turn is longer than a chunk's target (120 words), so each becomes its own chunk.
FILLER = (
    "We went through the numbers line by line and compared them with last quarter, and then we"
    " talked about what the teams need next month, who owns which part, and when we meet again."
)


def turn(speaker: str, topic: str) -> dict:
    body = " ".join([topic] + [FILLER] * 4)
    return {"speaker": speaker, "text": body}


def ingest(liaison, turns: list[dict], name: str, **kwargs):
    outcome = liaison.ingest_bytes(json.dumps(turns).encode(), name, **kwargs)
    assert outcome.ok, outcome.error
    return outcome.meeting


def sync_meeting(liaison):
    return ingest(
        liaison,
        [
            turn("Priya Shah", "The campaign budget for the spring launch needs another review."),
            turn("Sam Ortiz", "The data warehouse migration finishes in March."),
            turn("Sam Ortiz", "The campaign budget for the spring launch is too high for IT."),
            turn("Dana Whitfield", "Hiring for the analytics role starts next week."),
            turn("Priya Shah", "Vendor Zephyrion quoted the consent module at forty thousand."),
        ],
        "sync.json",
        title="Weekly sync",
        day=date(2026, 10, 6),
        kind=MeetingKind.weekly_sync,
    )


def test_naming_a_speaker_favours_their_turns(liaison):
    sync_meeting(liaison)
    for name, full in (("Sam", "Sam Ortiz"), ("Priya", "Priya Shah")):
        hits = liaison.search(f"What did {name} say about the campaign budget?", k=3)
        assert hits[0].speakers == [full]
        assert "campaign budget" in hits[0].text


def test_exact_rare_word_finds_its_passage(liaison):
    sync_meeting(liaison)
    hits = liaison.search("Zephyrion", k=5)
    assert "Zephyrion" in hits[0].text


def test_accented_word_is_found_by_its_letters(liaison):
    meeting = [
        turn("Renée Dubois", "the café photos from the Zéphyrine shoot"),
        turn("Bo Chen", "the budget for next quarter"),
    ]
    sync_meeting(liaison)
    ingest(liaison, meeting, "cafe.json", day=date(2026, 10, 13))
    # Whole words reach the keyword index (not "z", "phyrine", "caf").
    assert query_terms("Zéphyrine café") == ["zéphyrine", "café"]
    hits = liaison.search("Zéphyrine", k=1)
    assert hits and "Zéphyrine" in hits[0].text


def test_hits_carry_the_stable_schema(liaison):
    meeting = sync_meeting(liaison)
    hit = liaison.search("data warehouse migration", k=1)[0]
    data = json.loads(hit.model_dump_json())
    for field in (
        "meeting_id", "title", "date", "turn_start", "turn_end", "start_s", "end_s",
        "speakers", "text", "score",
    ):  # fmt: skip
        assert field in data
    assert (data["meeting_id"], data["title"], data["date"]) == (
        meeting.id,
        "Weekly sync",
        "2026-10-06",
    )
    assert data["turn_start"] <= data["turn_end"]
    assert data["speakers"] == ["Sam Ortiz"] and "warehouse" in data["text"]
    assert isinstance(data["score"], float)


def test_filters_hold(liaison):
    a = sync_meeting(liaison)
    b = ingest(
        liaison,
        [
            turn("Marcus Lee", "The campaign budget was approved by finance."),
            turn("Priya Shah", "The campaign launch date moves to April."),
        ],
        "qbr.json",
        title="QBR",
        day=date(2026, 10, 27),
        kind=MeetingKind.qbr,
    )
    query = "campaign budget"
    assert {h.meeting_id for h in liaison.search(query, SearchFilters(meeting_id=a.id))} == {a.id}
    assert {h.meeting_id for h in liaison.search(query, SearchFilters(kind=MeetingKind.qbr))} == {
        b.id
    }
    since = liaison.search(query, SearchFilters(since=date(2026, 10, 20)))
    assert since and {h.meeting_id for h in since} == {b.id}
    until = liaison.search(query, SearchFilters(until=date(2026, 10, 20)))
    assert until and {h.meeting_id for h in until} == {a.id}
    by_sam = liaison.search(query, SearchFilters(speaker="Sam Ortiz"), k=20)
    assert by_sam and all("Sam Ortiz" in h.speakers for h in by_sam)


def test_deleting_a_meeting_removes_its_hits(liaison):
    a = sync_meeting(liaison)
    assert any(h.meeting_id == a.id for h in liaison.search("Zephyrion consent module"))
    liaison.delete_meeting(a.id)
    assert liaison.search("Zephyrion consent module") == []


def test_results_show_different_passages_before_overlapping_ones(liaison):
    # Ten consecutive turns (two people taking turns) on one subject, then one more mention.
    people = ("Dana Whitfield", "Priya Shah")
    turns = [turn(people[i % 2], "The churn dashboard numbers look wrong.") for i in range(10)]
    turns.append(turn("Sam Ortiz", "The churn dashboard is fixed now."))
    meeting = ingest(liaison, turns, "churn.json", title="Churn")
    hits = liaison.search("churn dashboard", SearchFilters(meeting_id=meeting.id), k=3)
    starts = sorted(h.turn_start for h in hits)
    assert all(b - a > 1 for a, b in zip(starts, starts[1:], strict=False))


def test_topic_of_strips_instruction_words_only():
    assert topic_of("Summarize the discussion about the CDP contract.") == "the CDP contract"
    assert topic_of("What did Sam think of the consent banner?") == "Sam the consent banner"
    assert topic_of("What did the group decide") == "decide"
    assert topic_of("consent banner") == "consent banner"
    assert topic_of("What is it?") == "it"
    assert topic_of("what") == "what"  # nothing but instructions: keep the query


def test_named_speakers_prefers_full_names_and_ignores_titles():
    speakers = ["Grad E", "Grad F", "Hon. Navdeep Bains (Minister of Industry)", "Julie Morgan AM"]
    assert named_speakers("What did Grad F say about his proposal?", speakers) == ["Grad F"]
    assert named_speakers("What did Bains say about tourism?", speakers) == [speakers[2]]
    assert named_speakers("How did Julie Morgan respond?", speakers) == ["Julie Morgan AM"]
    assert named_speakers("What did the grads say?", speakers) == []
    assert named_speakers("Sam's update", ["Sam Ortiz", "Samantha Lee"]) == ["Sam Ortiz"]


def test_standardise_and_diversify():
    z = standardise(np.array([1.0, 2.0, 3.0, 0.0]), np.array([True, True, True, False]))
    assert z[2] > z[1] > z[0] > z[3]
    scores = np.array([5.0, 4.9, 4.8, 1.0])
    positions = np.array([10, 11, 12, 40])
    groups = np.array([1, 1, 1, 1])
    assert diversify(scores, positions, groups, 2, penalty=10.0, reach=2) == [0, 3]
    assert diversify(scores, positions, groups, 2, penalty=0.0, reach=2) == [0, 1]


def test_a_long_page_of_results_is_filled(liaison):
    people = ("Dana Whitfield", "Priya Shah")
    turns = [turn(people[i % 2], f"Point {i} of the review.") for i in range(70)]
    meeting = ingest(liaison, turns, "long.json", title="Long review")
    hits = liaison.search("review numbers", SearchFilters(meeting_id=meeting.id), k=100)
    assert len(hits) == liaison.stats()["chunks"] == 70
    assert len({h.chunk_id for h in hits}) == 70
