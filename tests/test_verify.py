"""Quote verification: only words really said survive, as they were said."""

from __future__ import annotations

from assistant.extract.verify import normalise, verify_evidence
from assistant.models import Turn

TURNS = [
    Turn(index=0, speaker="Priya Shah", text="Morning. Quick one today.", start_s=0.0, end_s=3.0),
    Turn(
        index=1,
        speaker="Marco Diaz",
        text="OK \u2014 I\u2019ll send the \u201crevised\u201d budget to Sam by Friday, alright?",
        start_s=3.0,
        end_s=9.5,
    ),
    Turn(index=2, speaker="Priya Shah", text="Agreed.", start_s=10.0, end_s=11.0),
    Turn(index=3, speaker="Sam Lee", text="Then the launch moves to May; marketing owns the copy."),
]


def one(quote: str, turn: int = 1) -> str | None:
    found = verify_evidence([{"turn": turn, "quote": quote}], TURNS)
    return found[0].quote if found else None


def test_normalise_folds_case_punctuation_whitespace_and_curly_quotes() -> None:
    assert (
        normalise("  I\u2019ll send the \u201cRevised\u201d   budget!")
        == "ill send the revised budget"
    )
    assert normalise('I\'ll send the "revised" budget') == "ill send the revised budget"


def test_exact_and_normalised_quotes_return_the_text_as_said() -> None:
    assert one('I\'ll send the "revised" budget to Sam by Friday') == (
        "I\u2019ll send the \u201crevised\u201d budget to Sam by Friday"
    )
    assert one("ill SEND the revised budget") == "I\u2019ll send the \u201crevised\u201d budget"


def test_small_typos_are_tolerated_but_paraphrases_are_not() -> None:
    assert one("send the revised budjet to Sam") == "send the \u201crevised\u201d budget to Sam"
    assert one("send the updated budget to Tom on Monday") is None
    assert one("we will double the marketing budget") is None


def test_evidence_carries_the_turn_speaker_and_times() -> None:
    (ev,) = verify_evidence([{"turn": 1, "quote": "budget to Sam by Friday"}], TURNS, meeting_id=4)
    assert (ev.meeting_id, ev.turn_index, ev.speaker, ev.start_s, ev.end_s) == (
        4,
        1,
        "Marco Diaz",
        3.0,
        9.5,
    )


def test_quote_in_an_adjacent_turn_is_accepted_and_re_attributed() -> None:
    (ev,) = verify_evidence([{"turn": 2, "quote": "the launch moves to May"}], TURNS)
    assert ev.turn_index == 3 and ev.speaker == "Sam Lee"
    assert verify_evidence([{"turn": 0, "quote": "the launch moves to May"}], TURNS) is None
    assert verify_evidence([{"turn": 42, "quote": "the launch moves to May"}], TURNS) is None


def test_whole_short_turn_is_fine_but_padding_it_is_not() -> None:
    assert one("agreed", turn=2) == "Agreed."
    assert one("Agreed, and we double the budget", turn=2) is None


def test_too_short_fragments_do_not_count() -> None:
    assert one("the budget") is None  # two common words would match almost any turn


def test_at_most_five_entries_without_duplicates() -> None:
    turns = [Turn(index=i, text=f"Point number {i} is that we ship on time.") for i in range(8)]
    drafts = [{"turn": i, "quote": f"Point number {i} is that we ship"} for i in range(8)]
    found = verify_evidence(drafts + drafts[:1], turns)
    assert found is not None and [e.turn_index for e in found] == [0, 1, 2, 3, 4]
    dup = verify_evidence([drafts[0], drafts[0]], turns)
    assert dup is not None and len(dup) == 1


def test_nothing_verified_returns_none() -> None:
    assert verify_evidence([], TURNS) is None
    assert verify_evidence([{"turn": 1, "quote": ""}], TURNS) is None


def test_fillers_and_stutters_do_not_sink_a_tidied_quote() -> None:
    # Utterance ES2002a.D.dialog-act.dharshi.77 of the AMI corpus (CC BY 4.0), verbatim.
    ami = "I'm thinking the price might might appeal to a certain market in one region, whereas"
    turns = [
        Turn(index=0, text=ami),
        Turn(index=1, text="Um so we'll uh go with the the rubber case."),
    ]
    (price,) = verify_evidence(
        [{"turn": 0, "quote": "the price might appeal to a certain market"}], turns
    )
    assert price.quote == "the price might might appeal to a certain market"
    (case,) = verify_evidence([{"turn": 1, "quote": "we'll go with the rubber case"}], turns)
    assert case.quote == "we'll uh go with the the rubber case."
