"""Asking across meetings, offline: question parsing, retrieval and cited answers.

Runs on the four sample meetings (assistant/data/samples) with scripted items (tests/ask_script.py).
"""

from __future__ import annotations

from datetime import date

import pytest
from typer.testing import CliRunner

from assistant.answer.question import Context, detect_intent, parse_question, parse_time
from assistant.answer.retrieve import Retriever
from assistant.errors import InvalidInput
from assistant.models import MeetingKind, SearchFilters, Team
from tests.ask_script import SCRIPT, DatedExtractor, ingest_samples
from tests.conftest import api_client

TODAY = date(2026, 10, 29)  # a Thursday, two days after the QBR
PEOPLE = ["Dana Whitfield", "Marcus Lee", "Sam Ortiz", "Priya Shah", "Elena Park"]


def ctx(**kw) -> Context:
    def latest(kind):
        return date(2026, 10, 27) if kind == MeetingKind.qbr else None

    return Context(today=TODAY, speakers=PEOPLE, latest_meeting=latest, **kw)


@pytest.fixture
def extractor():
    return DatedExtractor(SCRIPT)


@pytest.fixture
def samples(liaison):
    return ingest_samples(liaison)


def assert_citations_verbatim(liaison, answer):
    """Every citation points at real turns of a real meeting and quotes them word for word."""
    assert answer.citations
    for c in answer.citations:
        detail = liaison.meeting(c.meeting_id)
        assert detail.meeting.title == c.title and detail.meeting.date == c.date
        turns = [t for t in detail.turns if c.turn_start <= t.index <= c.turn_end]
        assert turns, c
        assert any(c.quote in t.text for t in turns), c
        speaker_turn = next(t for t in turns if c.quote in t.text)
        assert speaker_turn.speaker == c.speaker
        assert f"[{c.n}]" in answer.answer


# ----------------------------------------------------------------------------- parsing


@pytest.mark.parametrize(
    "question, intent",
    [
        ("What did we decide about the CDP?", "decisions"),
        ("Which decisions were made in the QBR?", "decisions"),
        ("What does IT owe marketing?", "actions"),
        ("Which action items are overdue?", "actions"),
        ("What is Sam on the hook for?", "actions"),
        ("What's in the parking lot?", "parking"),
        ("Which snags are still unresolved?", "parking"),
        ("How are we doing on our KPIs?", "goal"),
        ("What did Priya say about the budget?", "general"),
    ],
)
def test_intent(question, intent):
    assert detect_intent(question) == intent


@pytest.mark.parametrize(
    "question, since, until",
    [
        ("what happened yesterday", date(2026, 10, 28), date(2026, 10, 28)),
        ("decisions this week", date(2026, 10, 26), date(2026, 11, 1)),
        ("decisions last week", date(2026, 10, 19), date(2026, 10, 25)),
        ("what did we decide in October?", date(2026, 10, 1), date(2026, 10, 31)),
        ("anything in December?", date(2025, 12, 1), date(2025, 12, 31)),
        ("what changed last month", date(2026, 9, 1), date(2026, 9, 30)),
        ("actions from the last two weeks", date(2026, 10, 15), TODAY),
        ("what was agreed since October 13?", date(2026, 10, 13), None),
        ("decisions before 2026-10-20", None, date(2026, 10, 19)),
        ("what happened since the QBR?", date(2026, 10, 27), None),
        ("anything in Q3?", date(2026, 7, 1), date(2026, 9, 30)),
    ],
)
def test_time_phrases(question, since, until):
    found, _ = parse_time(question, ctx())
    assert found is not None
    assert (found.since, found.until) == (since, until)


def test_no_time_phrase_and_unknown_meeting_kind():
    assert parse_time("What did we decide about the CDP?", ctx()) == (None, [])
    found, notes = parse_time("what happened since the last one-on-one?", ctx())
    assert found is None and "monthly_1on1" in notes[0]


@pytest.mark.parametrize("question", ["What does IT owe marketing?", "what does it owe marketing"])
def test_who_owes_whom(question):
    q = parse_question(question, ctx())
    assert (q.intent, q.team, q.for_team, q.status) == ("actions", Team.it, Team.marketing, "open")


def test_people_and_topic():
    q = parse_question("What did Priya say about the budget?", ctx())
    assert q.speakers == ["Priya Shah"] and q.topic == "budget"
    q = parse_question("What is Sam on the hook for?", ctx())
    assert q.owner == "Sam Ortiz" and q.speakers == []
    q = parse_question("What did we decide about the CDP last week?", ctx())
    assert q.topic == "CDP" and q.time_range.phrase == "last week"
    q = parse_question("What did we say about the données clients?", ctx())
    assert q.topic == "données clients"  # accented words stay whole


def test_a_question_in_another_script_is_not_answered_with_everything(liaison, samples):
    answer = liaison.asker.ask("日本語のデータ?", TODAY)
    assert not answer.found and answer.items == []


# ----------------------------------------------------------------------------- answers


def test_decisions_say_which_stands_and_which_was_superseded(liaison, samples):
    answer = liaison.asker.ask("What did we decide about the CDP?", TODAY)
    assert answer.found and answer.intent == "decisions"
    # The answer first: the decision that stands, when and by whom, and what it replaced.
    first = answer.answer.splitlines()[0]
    assert first.startswith("Use mParticle as the CDP — decided on 13 Oct in Weekly sync")
    assert "(Dana Whitfield) [1]" in first
    assert 'it replaced "Use Segment as the CDP", decided on 6 Oct [2]' in first
    # The licence split mentions mParticle but is not about the CDP choice: it stays out.
    assert "licence" not in answer.answer
    assert {i.text for i in answer.items} >= {"Use Segment as the CDP", "Use mParticle as the CDP"}
    assert_citations_verbatim(liaison, answer)
    quotes = {c.quote for c in answer.citations}
    assert "Instead of Segment we'll go with mParticle after all." in quotes


def test_what_it_owes_marketing(liaison, samples):
    answer = liaison.asker.ask("What does IT owe marketing?", TODAY)
    assert answer.intent == "actions" and answer.items
    assert all(i.team == Team.it and i.status == "open" for i in answer.items)
    texts = {i.text for i in answer.items}
    assert "Build the attribution dashboard prototype" in texts
    assert "Send the revised budget to finance" not in texts  # marketing's own action
    assert "Set up the SSO integration for HubSpot" not in texts  # done in the next meeting
    plan = next(line for line in answer.answer.splitlines() if "integration plan" in line)
    assert "open and overdue by 10 days" in plan
    assert_citations_verbatim(liaison, answer)


def test_owner_question_lists_done_actions_with_the_words_that_closed_them(liaison, samples):
    answer = liaison.asker.ask("What is Sam on the hook for?", TODAY)
    assert {i.owner for i in answer.items} == {"Sam Ortiz"}
    sso = next(line for line in answer.answer.splitlines() if "SSO integration" in line)
    assert "reported done in Weekly sync on 13 Oct [" in sso
    assert "The SSO integration for HubSpot is finished." in {c.quote for c in answer.citations}


def test_parking_lot_with_ages(liaison, samples):
    answer = liaison.asker.ask("What's in the parking lot?", TODAY)
    assert answer.intent == "parking"
    assert {i.text for i in answer.items} == {
        "Multi-touch attribution model",
        "Data warehouse migration",
    }
    assert answer.answer.startswith("2 snags are open in the parking lot:")
    assert "parked on 6 Oct in Weekly sync, 23 days ago [" in answer.answer
    assert_citations_verbatim(liaison, answer)


def test_time_phrase_filters_items(liaison, samples):
    answer = liaison.asker.ask("What decisions were made last week?", TODAY)
    assert answer.time_range.since == date(2026, 10, 19)
    assert [i.text for i in answer.items] == [
        "Split the mParticle licence sixty-forty, marketing sixty"
    ]
    since_qbr = liaison.asker.ask("What happened since the QBR?", TODAY)
    assert since_qbr.time_range.since == date(2026, 10, 27)
    assert {c.meeting_id for c in since_qbr.citations} == {samples[date(2026, 10, 27)]}


def test_speaker_question_quotes_that_speaker(liaison, samples):
    answer = liaison.asker.ask("What did Priya say about the consent banner?", TODAY)
    assert answer.found
    assert {c.speaker for c in answer.citations} == {"Priya Shah"}
    assert_citations_verbatim(liaison, answer)


def test_speaker_who_said_nothing_on_the_topic_is_not_misquoted(liaison, samples):
    answer = liaison.asker.ask("What did Priya say about the budget?", TODAY)
    assert answer.answer.startswith('I found nothing Priya Shah said about "budget"')
    assert "Priya Shah" not in {c.speaker for c in answer.citations}
    assert all("budget" in c.quote for c in answer.citations)


def test_goal_question(liaison, samples):
    answer = liaison.asker.ask("How is the cdp-live goal going?", TODAY)
    assert answer.intent == "goal"
    assert "Unified profiles: 35% (target 90%)" in answer.answer
    assert {i.goal_id for i in answer.items} == {"cdp-live"}


def test_goal_named_by_its_acronym(liaison, samples):
    """Found in QA: "the CDP goal" found no goal, and the answer listed items that merely
    mention the CDP under "Items linked to it:" without saying how the goal stands."""
    answer = liaison.asker.ask("How are we doing on the CDP goal?", TODAY)
    assert answer.intent == "goal"
    assert answer.answer.startswith("Goal cdp-live: Customer data platform live")
    assert {i.goal_id for i in answer.items} == {"cdp-live"}
    goals = liaison.goals()
    assert parse_question("Is the SLA goal on track?", ctx(goals=goals)).goal_id == (
        "page-latency-sla"
    )
    assert parse_question("What does IT owe on the goals?", ctx(goals=goals)).goal_id is None


def test_goal_question_without_a_known_goal_does_not_claim_links(liaison, samples):
    answer = liaison.asker.ask("Which KPIs mention the attribution dashboard?", TODAY)
    assert answer.intent == "goal"
    assert "Items linked to it" not in answer.answer


def test_nothing_found_is_said_plainly(liaison, samples):
    answer = liaison.asker.ask("What did we decide about the blockchain pilot?", TODAY)
    assert not answer.found
    assert answer.answer.startswith("I found nothing in the meetings about")
    assert answer.citations == [] and answer.items == []


def embedded_texts(liaison, monkeypatch) -> list[str]:
    """The texts the embedder is given from now on."""
    seen: list[str] = []
    embed = liaison.embedder.embed_batch

    def recording(texts):
        seen.extend(texts)
        return embed(texts)

    monkeypatch.setattr(liaison.embedder, "embed_batch", recording)
    return seen


def test_passages_whose_words_cover_the_topic_are_not_embedded_again(liaison, samples, monkeypatch):
    q = liaison.asker.understand("What was said about the CDP?", TODAY)
    hits = liaison.search(q.topic, SearchFilters(), k=6)
    embedded = embedded_texts(liaison, monkeypatch)
    found, _ = Retriever(liaison).passages(q)
    assert any("CDP" in p.hit.text for p in found)
    # Only the sentences of passages that do not name the CDP are embedded, to judge their meaning.
    unworded = " ".join(h.text for h in hits if "cdp" not in h.text.lower())
    assert all(text in unworded for text in embedded if text != q.topic)


def test_passages_whose_words_fall_short_are_judged_by_their_sentences(liaison, samples):
    # "zebras" is in no meeting: a passage about the CDP holds the lesser part of the topic.
    q = liaison.asker.understand("What was said about the CDP zebras?", TODAY)
    assert Retriever(liaison).passages(q) == ([], False)
    lenient, _ = Retriever(liaison, min_similarity=0.1).passages(q)
    assert any("CDP" in p.hit.text for p in lenient)


def test_of_a_passage_naming_part_of_the_topic_only_the_naming_sentences_are_weighed(
    liaison, samples, monkeypatch
):
    q = liaison.asker.understand("What was said about the CDP zebras?", TODAY)
    hits = liaison.search(q.topic, SearchFilters(), k=6)
    embedded = embedded_texts(liaison, monkeypatch)
    Retriever(liaison).passages(q)
    weighed = [text for text in embedded if text != q.topic]
    assert any("CDP" in text for text in weighed)
    # A passage that names neither word has all its sentences weighed.
    unworded = " ".join(h.text for h in hits if "cdp" not in h.text.lower())
    assert all("CDP" in text or text in unworded for text in weighed)


def test_empty_store_and_empty_question(liaison):
    assert not liaison.asker.ask("What did we decide about the CDP?", TODAY).found
    with pytest.raises(InvalidInput):
        liaison.asker.ask("   ", TODAY)


def test_api_and_cli(liaison, samples, settings):
    from assistant.cli.common import app

    client = api_client(settings, liaison)
    body = client.post(
        "/ask", json={"question": "What did we decide about the CDP?", "today": "2026-10-29"}
    ).json()
    assert body["found"] and body["citations"][0]["quote"]
    assert client.post("/ask", json={"question": ""}).status_code == 422

    result = CliRunner().invoke(app, ["ask", "What's in the parking lot?", "--today", "2026-10-29"])
    assert result.exit_code == 0, result.output
    assert "Data warehouse migration" in result.output and "Sources:" in result.output


def test_an_item_whose_text_is_the_quote_is_not_written_twice():
    from datetime import date

    from assistant.answer.cite import said as _said
    from assistant.models import Evidence, Meeting

    meeting = Meeting(id=1, title="Weekly sync", date=date(2026, 10, 6))
    ev = Evidence(turn_index=7, speaker="Dana Whitfield", quote="Okay. We'll go with Segment.")
    assert '"' not in _said(ev, meeting, 1, "We'll go with Segment.")
    assert '"Okay. We\'ll go with Segment."' in _said(ev, meeting, 1, "Segment is the CDP.")


# ----------------------------------------------------------------------------- answer forms


def test_owner_and_date_come_from_the_meeting_that_last_changed_them(liaison, samples):
    from assistant.models import Evidence
    from assistant.store import items as item_store

    plan = next(i for i in liaison.items(limit=100)[0] if "integration plan" in i.text)
    qbr = liaison.meeting(samples[date(2026, 10, 27)])
    turn = qbr.turns[3]
    moved = Evidence(
        meeting_id=qbr.meeting.id, turn_index=turn.index, speaker=turn.speaker, quote=turn.text
    )
    with liaison.db.transaction() as tx:  # what the tracker writes when a meeting moves a date
        item_store.set_fields(
            tx,
            plan.id,
            {"due": date(2026, 11, 6)},
            author=None,
            source="tracker",
            meeting_id=qbr.meeting.id,
            evidence=[moved],
        )
    answer = liaison.asker.ask(
        "Who is doing the mParticle integration plan and when is it due?", TODAY
    )
    assert answer.asks == "owner" and answer.found
    first = answer.answer.splitlines()[0]
    assert first.startswith("Sam Ortiz is doing it: Write up the mParticle integration plan")
    assert "due 6 Nov (moved in Q4 QBR: IT and Marketing on 27 Oct [2])" in first
    assert first.endswith("; open.")  # 6 Nov is after today: no longer overdue
    assert answer.citations[1].quote == turn.text
    assert_citations_verbatim(liaison, answer)


def test_a_yes_no_status_question_is_answered_yes_or_no(liaison, samples):
    done = liaison.asker.ask("Is the SSO integration done?", TODAY)
    assert done.asks == "status"
    assert done.answer.startswith("Yes, it is done: Set up the SSO integration for HubSpot [1]")
    assert "The SSO integration for HubSpot is finished." in {c.quote for c in done.citations}
    not_yet = liaison.asker.ask("Is the attribution dashboard prototype finished?", TODAY)
    assert not_yet.answer.startswith("Not yet: Sam Ortiz: Build the attribution dashboard")
    assert "due 31 Oct; open." in not_yet.answer


def test_why_quotes_the_reasons_said_before_the_decision(liaison, samples):
    answer = liaison.asker.ask("Why did we drop Segment?", TODAY)
    assert answer.asks == "reason" and answer.found
    assert answer.answer.startswith("What was decided: Use mParticle as the CDP")
    quotes = [c.quote for c in answer.citations]
    assert "That doubles the price." in quotes
    assert_citations_verbatim(liaison, answer)


def test_what_changed_since_the_qbr_lists_what_that_meeting_decided_and_gave_out(liaison, samples):
    answer = liaison.asker.ask("What changed since the QBR?", TODAY)
    assert answer.asks == "changes" and answer.time_range.since == date(2026, 10, 27)
    lines = answer.answer.splitlines()
    assert lines[0] == "What changed since the QBR:"
    assert any(line.startswith("- Decided: Approve the marketing engineer role") for line in lines)
    assert any("Send the revised CDP timeline" in line for line in lines)
    assert {c.meeting_id for c in answer.citations} == {samples[date(2026, 10, 27)]}


def test_a_kind_of_item_that_was_never_recorded_is_said_plainly(liaison, samples):
    answer = liaison.asker.ask("Who is doing the Kubernetes migration?", TODAY)
    assert not answer.found and answer.items == []
    assert answer.answer == 'I found nothing in the meetings about "Kubernetes migration".'
    # Words that were said, but no decision about them: said plainly, the mentions shown.
    mentioned = liaison.asker.ask("What did we decide about the tool inventory?", TODAY)
    assert not mentioned.found and mentioned.items == []
    assert mentioned.answer.startswith(
        'I found no decision about "tool inventory" in the meetings.'
    )
