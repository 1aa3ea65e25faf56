"""Rules behind owners, due dates, teams and clean item text (assistant/extract/rules.py)."""

from datetime import date

import pytest

from assistant.extract.dates import find_due, find_due_phrase, resolve_due, series_kind
from assistant.extract.rules import clean_text, find_owner, guess_team
from assistant.models import MeetingKind, Team

TUESDAY = date(2026, 10, 6)
NAMES = ["Sam Ortiz", "Priya Nair", "Dana Kim"]


@pytest.mark.parametrize(
    ("text", "speaker", "owner"),
    [
        ("I'll send the renewal quote to procurement.", "Dana Kim", "Dana Kim"),
        ("Let me check with legal first.", "Priya Nair", "Priya Nair"),
        ("Sam, can you set up SSO for HubSpot by Friday?", "Dana Kim", "Sam Ortiz"),
        ("Could you draft the brief, Priya?", "Dana Kim", "Priya Nair"),
        ("New actions then. Priya, can you draft the rules by Monday?", "Dana Kim", "Priya Nair"),
        ("Priya will own the launch checklist.", "Dana Kim", "Priya Nair"),
        ("Sam's going to rerun the export.", "Priya Nair", "Sam Ortiz"),
        ("We should look at attribution at some point.", "Dana Kim", None),
        ("Can you hear me?", "Dana Kim", None),
    ],
)
def test_owner(text, speaker, owner):
    assert find_owner(text, speaker, NAMES) == owner


def test_owner_first_name_shared_by_two_people_is_not_guessed():
    names = ["Sam Ortiz", "Sam Lee", "Dana Kim"]
    assert find_owner("Sam, can you send it?", "Dana Kim", names) is None
    assert find_owner("Sam Lee, can you send it?", "Dana Kim", names) == "Sam Lee"


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("Sam, can you set up SSO by Friday?", date(2026, 10, 9)),
        ("Let's have it done tomorrow.", date(2026, 10, 7)),
        ("Ship it next Wednesday.", date(2026, 10, 14)),
        ("Send it Wednesday, on Wednesday then.", date(2026, 10, 7)),
        ("We need numbers by the end of the month.", date(2026, 10, 31)),
        ("Budget goes in by the 20th.", date(2026, 10, 20)),
        ("Budget goes in by the 2nd.", date(2026, 11, 2)),
        ("Due by October 15 at the latest.", date(2026, 10, 15)),
        ("Have a draft in two weeks.", date(2026, 10, 20)),
        ("A summary by end of week please.", date(2026, 10, 9)),
        ("I can have it live by November tenth.", date(2026, 11, 10)),
        ("Let's say the twenty-first of October.", date(2026, 10, 21)),
        ("Can you get it to me by the 6th?", date(2026, 11, 6)),
        ("Done by Tuesday next week.", date(2026, 10, 13)),
        ("Numbers by the end of the quarter.", date(2026, 12, 31)),
        ("Before the end of October, please.", date(2026, 10, 31)),
        ("Could you have it on my desk Friday?", None),  # a bare weekday is not a date said
    ],
)
def test_due_dates_resolve_against_the_meeting_date(text, due):
    assert find_due(text, TUESDAY) == due


@pytest.mark.parametrize(
    "text",
    [
        "Sam, can you set up SSO for HubSpot?",
        "We talked about Friday's outage.",  # a weekday without "by/on/next" is not a due date
        "The remote will sell for 25 Euro.",
    ],
)
def test_no_due_phrase_means_no_due_date(text):
    assert find_due_phrase(text) is None
    assert find_due(text, TUESDAY) is None


def test_a_date_tied_to_a_later_meeting_waits_for_that_meeting():
    phrase = find_due_phrase("Can you have the numbers before the QBR?")
    assert phrase == "before the QBR"
    assert resolve_due(phrase, TUESDAY) is None
    assert series_kind(phrase) == MeetingKind.qbr
    assert series_kind(find_due_phrase("Bring it to our next one-on-one.")) is None
    assert series_kind(find_due_phrase("Bring it by our next one-on-one.")) == (
        MeetingKind.monthly_1on1
    )


def test_unparseable_phrase_resolves_to_none_rather_than_a_guess():
    assert resolve_due("by the 45th", TUESDAY) is None


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        (
            "Um okay so we'll we'll go with Segment, uh, as the CDP",
            "We'll go with Segment as the CDP.",
        ),
        ("uh yeah so the remote should be um curvy", "The remote should be curvy."),
        (
            "Let's park the attribution question for now.",
            "Let's park the attribution question for now.",
        ),
        ("Is that, um, ready?", "Is that ready?"),
    ],
)
def test_clean_text(raw, clean):
    assert clean_text(raw) == clean


def test_clean_text_keeps_an_utterance_that_is_only_filler():
    assert clean_text("Um.") == "Um."


def test_team_from_known_owner_beats_cue_words():
    teams = {"Sam Ortiz": Team.it, "Priya Nair": Team.marketing}
    assert guess_team("Refresh the campaign page", "Sam Ortiz", teams) == Team.it
    assert guess_team("Refresh the campaign page", "Priya", teams) == Team.marketing


@pytest.mark.parametrize(
    ("text", "team"),
    [
        ("Set up SSO for HubSpot", Team.it),
        ("Ask IT for a new laptop", Team.it),
        ("Brief the agency on the campaign", Team.marketing),
        ("Security review of the campaign landing pages", Team.joint),
        ("Is it done yet?", Team.unknown),
    ],
)
def test_team_from_cue_words(text, team):
    assert guess_team(text, None) == team


@pytest.mark.parametrize(
    ("said", "text"),
    [
        (
            "Actions. Sam, can you send the timeline by Friday?",
            "Sam, can you send the timeline by Friday?",
        ),
        ("Okay. Agreed. We'll go with Segment as the CDP.", "We'll go with Segment as the CDP."),
        (
            "Fine, park it. We come back to it in January.",
            "Fine, park it. We come back to it in January.",
        ),
        ("Dr. Smith will send the contract.", "Dr. Smith will send the contract."),
        ("Yes. Okay.", "Yes. Okay."),
    ],
)
def test_steering_lead_ins_are_dropped_but_content_kept(said, text):
    assert clean_text(said) == text


def test_a_sentence_that_describes_is_not_read_as_a_choice():
    """What a classifier peak must not become a decision for: work in progress, a thing
    described, an estimate (business dev false positives); choices said outright still pass."""
    from assistant.extract.decisions import described

    for text in (
        "The yield team is building their first text flow for regular decision.",
        "It's a third party hosted page on a bank's domain taking customer details.",
        "Launch week is front-loaded on purpose.",
        "A vendor switch on ID is six months at least.",
    ):
        assert described(text), text
    for text in (
        "The Boost landing pages go on Contentful with our own front end, not Unbounce.",
        "Relaycast is the SMS vendor, subject to the security review.",
        "We're going to run the pilot in two hotels.",
        "The marketing pages go live November 10th, not the seventeenth.",
    ):
        assert not described(text), text
