"""Restatements (assistant/extract/restatements.py): the chair's recap, which repeats items and
makes those the patterns missed, and a request taken up turns later. Short exchanges written the
way CIO–CMO syncs go; no model."""

from __future__ import annotations

from assistant.extract.exchange import Context
from assistant.models import ItemKind
from tests.test_extract_dialogue import TEAMS, only, run


def test_the_recap_repeats_items_and_never_doubles_them():
    lines = [
        ("Elena Park", "Tom, can you send the consent banner copy to legal by Friday?"),
        ("Tom Becker", "Yes, will do."),
    ]
    lines += [("Raj Mehta", f"Status point {i} is on track as planned.") for i in range(6)]
    lines += [("Elena Park", "To recap: Tom sends the banner copy to legal by Friday.")]
    cands, units = run(*lines)
    [action] = only(cands, ItemKind.action)
    assert units[action.head].turn_index == 0
    assert len(lines) - 1 in {units[s].turn_index for s in action.support}


def test_a_recap_line_no_pattern_read_is_an_item_said_where_the_meeting_first_said_it():
    """The chair's recap lists what the meeting left behind, in few words: a line that repeats
    an earlier sentence no pattern read makes candidates headed by that sentence (the recap is
    its support); a recap line that repeats nothing said before, a question or a parked snag
    makes none."""
    lines = [
        (
            "Elena Park",
            "Right, so. Freeze on paywall and checkout from the"
            " second of November through the end of Black Friday week.",
        ),
        ("Raj Mehta", "Fine. I can live with it."),
    ]
    lines += [("Tom Becker", f"Status point {i} is on track as planned.") for i in range(6)]
    lines += [
        (
            "Elena Park",
            "Okay, recap. Freeze on paywall and checkout from the second of November. Tom"
            " writes up the Courier migration plan. Loyalty tiers are parked for now. Did I"
            " miss anything?",
        ),
        ("Raj Mehta", "No, that's everything."),
    ]
    cands, units = run(*lines)
    recap = [c for c in cands if c.pattern == "recap"]
    assert {c.kind for c in recap} == {ItemKind.decision, ItemKind.action}
    assert {units[c.head].turn_index for c in recap} == {0}
    assert all(c.recapped and units[c.support[0]].turn_index == len(lines) - 2 for c in recap)
    # "Tom writes up the Courier migration plan" was never said before: no recap item of it.
    assert not any("Courier" in units[c.head].text for c in recap)


def test_the_recap_is_found_however_the_chair_opens_it():
    from assistant.extract.signals import RECAP, RECAP_LATER

    for opener in (
        "Okay, recap.",
        "Ha. Okay, recap, quickly.",
        "No, I'll do a recap and you'll have it all.",
        "Let me do the recap and then we can all go.",
        "OK. Let me run through it so we all agree what we've got.",
        "To recap: Tom sends the banner copy to legal by Friday.",
    ):
        assert RECAP.search(opener) and not RECAP_LATER.search(opener), opener
    for later in ("Anything else before I recap?", "Before the recap, one status thing."):
        assert RECAP_LATER.search(later), later


def test_a_recap_line_names_who_does_the_work():
    from assistant.extract.restatements import recap_owner

    ctx = Context.build(["Elena Park", "Tom Becker", "Nadia Costa"], TEAMS)
    assert recap_owner("Tom writes up the Courier plan.", ctx) == "Tom Becker"
    assert recap_owner("Nadia's getting the teaser in by Friday.", ctx) == "Nadia Costa"
    assert recap_owner("The old lists get deleted, Tom by Friday.", ctx) == "Tom Becker"
    assert recap_owner("The freeze moves to the sixteenth.", ctx) is None


def test_a_request_nobody_answered_taken_up_turns_later_is_one_action():
    cands, units = run(
        ("Elena Park", "Finance can approve the joint line if the licence split is documented."),
        ("Elena Park", "Then please send me the signed split."),
        ("Raj Mehta", "Let's decide: the marketing engineer role is approved as a joint role."),
        ("Nadia Costa", "Agreed."),
        ("Raj Mehta", "I'll send Elena the signed licence split by next Tuesday."),
    )
    [action] = only(cands, ItemKind.action)
    assert action.owner == "Raj Mehta" and units[action.head].turn_index == 4
    assert 1 in {units[s].turn_index for s in action.support}


def test_the_sentence_that_opens_the_recap_is_no_item():
    from assistant.extract.signals import is_negative

    assert is_negative("Let me run through it so we all agree what we've got.")
    assert not is_negative("To recap: Tom sends the banner copy to legal by Friday.")
