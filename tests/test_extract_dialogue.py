"""Conversation patterns that leave items behind (assistant/extract/dialogue.py), one test per
pattern, on short exchanges written the way CIO–CMO syncs go. No model: these are the rules."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.extract.dates import resolve_due
from assistant.extract.dialogue import find_candidates
from assistant.extract.exchange import Candidate, Context
from assistant.extract.features import split_units
from assistant.extract.phrasing import action_text, core_text, ends_pointing, parking_text
from assistant.models import ItemKind, Team, Turn

TEAMS = {
    "Raj Mehta": Team.it,
    "Elena Park": Team.marketing,
    "Tom Becker": Team.it,
    "Nadia Costa": Team.marketing,
}
MONDAY = date(2026, 10, 26)


def run(*lines: tuple[str, str]) -> tuple[list[Candidate], list]:
    turns = [Turn(index=i, speaker=s, text=t) for i, (s, t) in enumerate(lines)]
    units = split_units(turns, 0)
    return find_candidates(units, Context.build([s for s, _ in lines], TEAMS)), units


def only(cands: list[Candidate], kind: ItemKind) -> list[Candidate]:
    return [c for c in cands if c.kind == kind]


def test_a_request_accepted_in_the_next_turn_is_owned_by_who_accepts():
    cands, units = run(
        ("Elena Park", "The vendor security review is the thing that blocks signature."),
        ("Elena Park", "Raj, can you own that?"),
        (
            "Raj Mehta",
            "Yes. I'll have the security and integration review for mParticle done by next "
            "Tuesday.",
        ),
    )
    [action] = only(cands, ItemKind.action)
    assert action.owner == "Raj Mehta"
    assert action.due_phrase == "by next Tuesday"
    assert units[action.head].turn_index == 1
    assert {units[s].turn_index for s in action.support} == {2}
    text = action_text(
        action.owner,
        units[action.head].text,
        units[action.topic].text,
        resolve_due(action.due_phrase, MONDAY),
        action.due_phrase,
    )
    assert text.startswith("Raj Mehta: ") and "security and integration review" in text
    assert text.endswith("— due 2026-11-03")


def test_the_person_asked_is_found_earlier_in_the_same_turn():
    cands, _ = run(
        (
            "Elena Park",
            "Raj, the single sign-on integration is the long pole for the launch. Can you have "
            "that done by November first?",
        ),
        ("Raj Mehta", "Sure, November first works."),
    )
    [action] = only(cands, ItemKind.action)
    assert action.owner == "Raj Mehta"
    assert action.due_phrase == "November first"
    assert resolve_due(action.due_phrase, MONDAY) == date(2026, 11, 1)


def test_the_task_is_what_is_asked_not_who_is_asked():
    text = "Marcus, could your team and mine agree on a one-page tool request form?"
    assert action_text("Marcus Lee", text, None, None, None) == (
        "Marcus Lee: agree on a one-page tool request form"
    )


def test_a_refused_request_is_not_an_action():
    cands, _ = run(
        ("Elena Park", "Tom, can you move the data export to Snowflake by Friday?"),
        ("Tom Becker", "No, I can't take that on before the freeze."),
    )
    assert only(cands, ItemKind.action) == []


def test_self_commitment_with_a_date():
    cands, units = run(
        ("Elena Park", "Where are we on the mParticle side?"),
        ("Raj Mehta", "I can have the mParticle SSO integration live by November tenth."),
    )
    [action] = only(cands, ItemKind.action)
    assert action.owner == "Raj Mehta" and action.due_phrase == "by November tenth"
    text = action_text(
        action.owner, units[action.head].text, None, date(2026, 11, 10), action.due_phrase
    )
    assert text == "Raj Mehta: mParticle SSO integration live — due 2026-11-10"


def test_implicit_commitment_points_back_at_the_problem_just_said():
    cands, units = run(
        ("Elena Park", "Hotjar is still recording form fields on the checkout pages."),
        ("Tom Becker", "That's on me."),
    )
    [action] = only(cands, ItemKind.action)
    assert action.owner == "Tom Becker"
    assert "Hotjar" in action_text(
        action.owner, units[action.head].text, units[action.topic].text, None, None
    )


def test_a_proposal_others_agree_to_is_a_decision_with_the_agreement_as_evidence():
    cands, units = run(
        ("Raj Mehta", "I'd propose we freeze the schema of the marketing mart from Monday."),
        ("Elena Park", "Agreed, freeze it."),
    )
    [decision] = only(cands, ItemKind.decision)
    assert units[decision.head].turn_index == 0
    assert [units[s].turn_index for s in decision.support] == [1]


def test_a_proposal_nobody_takes_up_is_not_a_decision():
    cands, _ = run(
        ("Raj Mehta", "I'd propose we freeze the schema of the marketing mart from Monday."),
        ("Elena Park", "What would that do to the November campaign?"),
    )
    assert only(cands, ItemKind.decision) == []


def test_explicit_decision_marker():
    cands, _ = run(("Elena Park", "Decision: we're switching the CDP from Segment to mParticle."))
    assert len(only(cands, ItemKind.decision)) == 1


def test_explicit_action_marker_names_the_owner():
    cands, _ = run(("Elena Park", "Action item for Tom: the consent banner copy to legal."))
    [action] = only(cands, ItemKind.action)
    assert action.owner == "Tom Becker"


def test_deferral_parks_what_was_being_discussed_once():
    cands, units = run(
        ("Elena Park", "Then there's the attribution model question."),
        ("Raj Mehta", "Let's park the attribution model question until December."),
        ("Elena Park", "Fine, parking lot."),
    )
    [parked] = only(cands, ItemKind.parking)
    assert units[parked.head].turn_index == 1
    text = parking_text(units[parked.head].text, None)
    assert text == "The attribution model question (parked until December)"
    assert core_text(text) == "The attribution model question"


def test_a_later_mention_of_a_parked_snag_is_not_a_new_snag():
    cands, _ = run(
        (
            "Elena Park",
            "Last thing, the attribution model question from the parking lot. Do we want to take "
            "it now?",
        ),
        ("Raj Mehta", "Not yet, the data isn't stitched."),
    )
    assert only(cands, ItemKind.parking) == []
    cands, _ = run(("Elena Park", "Go on. It's been in the parking lot since the last one-on-one."))
    assert only(cands, ItemKind.parking) == []


def test_a_request_answered_with_its_date_is_owned_by_who_answers():
    cands, units = run(
        (
            "Elena Park",
            "Nadia, please have the product-interest signals in the lead score by November 30.",
        ),
        ("Nadia Costa", "November 30 works."),
    )
    [action] = only(cands, ItemKind.action)
    assert action.owner == "Nadia Costa"
    assert resolve_due(action.due_phrase, MONDAY) == date(2026, 11, 30)


def test_how_things_will_be_said_plainly_and_agreed_outright_is_a_decision():
    """ "Then Stripe goes to fifty percent on Monday." - "Okay. I can live with that.": a plain
    statement of an arrangement, by what it is about, that someone else agrees to outright. A
    bare "Okay." agrees to nothing, and status ("The migration runs every night") stays out."""
    cands, units = run(
        ("Elena Park", "Then Stripe goes to fifty percent on Monday, as a flag change only."),
        ("Raj Mehta", "Okay. I can live with that."),
    )
    [decision] = only(cands, ItemKind.decision)
    assert decision.pattern == "statement+agreement" and units[decision.head].turn_index == 0
    cands, _ = run(
        ("Elena Park", "Then Stripe goes to fifty percent on Monday, as a flag change only."),
        ("Raj Mehta", "Okay."),
    )
    assert only(cands, ItemKind.decision) == []
    cands, _ = run(
        (
            "Elena Park",
            "That's where we land: disruption messages go through the notification service.",
        ),
    )
    assert [c.pattern for c in only(cands, ItemKind.decision)] == ["decision"]


@pytest.mark.parametrize(
    "said",
    ["Gotcha. Let me update those PRs by Friday.", "I can open a PR for the spec to update it."],
)
def test_let_me_and_i_can_with_a_task_are_commitments(said):
    """On engineering calls work is taken on as "let me update those PRs" or "I can open a PR";
    "let me share my screen" and "I can see it" are not work."""
    [action] = only(run(("Tom Becker", said))[0], ItemKind.action)
    assert action.owner == "Tom Becker"
    for other in ("Let me share my screen.", "I can see the PR now."):
        assert only(run(("Tom Becker", other))[0], ItemKind.action) == []


def test_work_asked_for_a_later_meeting_is_an_action_not_a_snag():
    cands, units = run(
        ("Elena Park", "And can you bring the loyalty numbers to the QBR? Active members."),
        ("Raj Mehta", "Sure, I'll bring them."),
    )
    assert only(cands, ItemKind.parking) == []
    [action] = only(cands, ItemKind.action)
    assert action.owner == "Raj Mehta"
    # Taking a snag to a later meeting is still a deferral.
    cands, _ = run(("Elena Park", "Let's take attribution to the QBR next month."))
    assert len(only(cands, ItemKind.parking)) == 1


def test_a_snag_taken_to_a_later_meeting_by_a_pronoun_is_named_by_its_topic():
    text = parking_text(
        "Let's bring it to the QBR when Ruth's in the room with the numbers.",
        "The ad-block wall for non-subscribers on the Courier.",
    )
    assert text.startswith("The ad-block wall for non-subscribers on the Courier")


@pytest.mark.parametrize(
    "call", ["Okay, I'm going to call it.", "I'll make the call.", "Right, I'm calling it."]
)
def test_the_chair_calls_it_and_the_next_sentence_is_the_decision(call):
    """ "I'll make the call. We bring in a contractor, and it comes out of my budget.": the call
    says no decision of its own (and is no commitment); the sentence after it is the one."""
    cands, units = run(
        ("Elena Park", f"{call} We bring in a contractor for six weeks, out of my budget."),
        ("Raj Mehta", "Seriously? Thank you."),
    )
    [decision] = only(cands, ItemKind.decision)
    assert units[decision.head].text.startswith("We bring in a contractor")
    assert only(cands, ItemKind.action) == []


def test_negatives_leave_nothing_behind():
    cands, _ = run(
        ("Elena Park", "If we went with Adobe we'd need another six months."),
        ("Raj Mehta", "I'll share my screen."),
        ("Elena Park", "As we decided in September, Segment stays for the web events."),
        ("Raj Mehta", "The migration is about sixty percent done."),
        ("Elena Park", "We could use Braze or Iterable for the emails, both would work."),
    )
    assert cands == []


def test_steering_the_meeting_is_not_a_decision():
    cands, _ = run(
        ("Elena Park", "Let's keep moving, we have a lot to get through."),
        ("Raj Mehta", "Agreed."),
        ("Elena Park", "Most of this is reporting, so let's keep the discussion for the end."),
        ("Elena Park", "Let's do consent now."),
    )
    assert only(cands, ItemKind.decision) == []


def test_dropping_an_earlier_action_is_left_to_the_tracker_not_a_new_decision():
    cands, _ = run(("Elena Park", "Let's drop the Campaign Monitor Okta action."))
    assert only(cands, ItemKind.decision) == []


def test_a_decision_not_taken_or_a_preference_is_not_a_decision():
    cands, _ = run(
        ("Elena Park", "I don't want to decide that with the launch still ahead of us."),
        ("Raj Mehta", "I'd rather ship it with data people trust."),
        ("Elena Park", "The consent question stays open till the wording is agreed."),
    )
    assert only(cands, ItemKind.decision) == []


def test_a_proposal_that_goes_on_in_the_next_sentence_is_a_decision_once_agreed():
    cands, units = run(
        (
            "Raj Mehta",
            "I'd like to retire it. Just switch it off, and point people at the dashboard.",
        ),
        ("Elena Park", "Yes, please. It pages my on-call team at night."),
        ("Raj Mehta", "Then we retire the weekly funnel email."),
    )
    [decision] = only(cands, ItemKind.decision)  # the conclusion is the same decision
    assert units[decision.head].turn_index == 0


def test_a_conclusion_after_agreement_is_a_decision():
    cands, units = run(
        ("Raj Mehta", "The weekly funnel email breaks every time someone renames a column."),
        ("Elena Park", "Agreed, nobody reads it."),
        ("Raj Mehta", "Then we retire the weekly funnel email."),
    )
    [decision] = only(cands, ItemKind.decision)
    assert units[decision.head].text == "Then we retire the weekly funnel email."


def test_a_proposal_of_a_manner_not_a_choice_is_not_a_decision():
    cands, _ = run(
        ("Elena Park", "I'd like to keep it simple."),
        ("Raj Mehta", "Agreed."),
        ("Elena Park", "No, let's not."),
        ("Raj Mehta", "Fine."),
    )
    assert only(cands, ItemKind.decision) == []


def test_a_deferral_that_points_back_is_named_by_the_question_it_puts_aside():
    cands, units = run(
        ("Raj Mehta", "The question is who pays for the Snowflake compute, marketing or IT."),
        ("Elena Park", "I don't disagree. But I don't want to argue a cost split without Graham."),
        ("Elena Park", "Let's take that offline with Graham, not today."),
    )
    [snag] = only(cands, ItemKind.parking)
    text = parking_text(units[snag.head].text, units[snag.topic].text)
    assert text.startswith("The question is who pays for the Snowflake compute"), text


def test_a_snag_kept_where_it_is_is_a_remention_not_a_decision():
    cands, _ = run(
        ("Elena Park", "Let's keep it there until the CDP is live, and put it on the January "
         "agenda."),
    )  # fmt: skip
    assert cands == []


def test_putting_a_topic_on_a_later_agenda_parks_it():
    cands, units = run(
        ("Raj Mehta", "The question is whether the warehouse migration waits for the CDP."),
        ("Elena Park", "Put it on the January agenda."),
    )
    [snag] = only(cands, ItemKind.parking)
    assert units[snag.topic].turn_index == 0


def test_let_us_settle_it_defers_to_the_sentence_that_states_the_decision():
    cands, units = run(
        (
            "Dana Whitfield",
            "Then let's settle it. We'll use a position-based attribution model, "
            "forty-twenty-forty, starting with the warehouse data.",
        ),
        ("Marcus Lee", "Agreed. That closes the attribution question."),
    )
    [decision] = only(cands, ItemKind.decision)
    assert units[decision.head].text.startswith("We'll use a position-based attribution model")


def test_closing_pleasantries_are_not_commitments():
    cands, _ = run(
        ("Raj Mehta", "Well, that felt like a really productive call."),
        ("Raj Mehta", "I will see you again in a week."),
        ("Elena Park", "I'll see you all next time."),
    )
    assert only(cands, ItemKind.action) == []


def test_work_asked_of_every_team_is_an_open_request():
    cands, units = run(
        ("Raj Mehta", "For all the teams, what I need is the API and metrics flags, so please, in "
         "the tooling channel, respond to my message with the flags your client uses."),
    )  # fmt: skip
    [action] = only(cands, ItemKind.action)
    assert action.pattern == "open-request" and action.owner is None


def test_a_goal_with_a_date_is_work_the_speaker_takes_on():
    cands, _ = run(
        ("Raj Mehta", "The goal is to have the previous-epoch tests done by the end of next week."),
    )
    [action] = only(cands, ItemKind.action)
    assert action.owner == "Raj Mehta" and action.due_phrase


def test_moving_talk_within_the_meeting_parks_nothing():
    cands, _ = run(
        ("Raj Mehta", "The dashboard refresh keeps failing at night."),
        ("Elena Park", "Let's come back to it at the end, we have three more topics."),
    )
    assert only(cands, ItemKind.parking) == []


def test_coming_back_to_a_topic_once_something_happens_parks_it():
    cands, units = run(
        ("Raj Mehta", "The question is whether we can use smart meter data for segmentation."),
        ("Elena Park", "Let's revisit this once legal have given us an opinion."),
    )
    assert [units[c.head].turn_index for c in only(cands, ItemKind.parking)] == [1]


def test_a_named_topic_put_on_the_list_is_parked():
    cands, _ = run(
        ("Raj Mehta", "Put the print fulfilment replacement on the list for the 2027 planning."),
    )
    assert len(only(cands, ItemKind.parking)) == 1


def test_a_report_after_agreement_is_not_a_conclusion():
    cands, _ = run(
        ("Raj Mehta", "The weekly funnel email breaks every time someone renames a column."),
        ("Elena Park", "Agreed, nobody reads it."),
        ("Raj Mehta", "Okay, we talked about the funnel numbers with finance last week."),
    )
    assert only(cands, ItemKind.decision) == []


def test_a_proposal_put_to_the_room_without_objection_is_a_decision():
    cands, units = run(
        ("Raj Mehta", "Unless anyone objects, we go with mParticle for the CDP."),
        ("Elena Park", "No objection from marketing."),
    )
    [decision] = only(cands, ItemKind.decision)
    assert "mParticle" in units[decision.head].text
    cands, units = run(
        ("Raj Mehta", "I'd make the loyalty app the first source we connect. Anyone opposed?"),
        ("Elena Park", "Fine by me."),
    )
    [decision] = only(cands, ItemKind.decision)
    assert "loyalty app" in units[decision.head].text
    assert [units[s].turn_index for s in decision.support] == [0, 1]


def test_an_objection_raised_leaves_the_proposal_undecided():
    cands, _ = run(
        ("Raj Mehta", "Unless anyone objects, we go with mParticle for the CDP."),
        ("Elena Park", "Actually, I do. Legal hasn't seen their DPA."),
    )
    assert not only(cands, ItemKind.decision)
    cands, _ = run(
        ("Raj Mehta", "We switch the newsletter to the new platform in January. Any objections?"),
        ("Elena Park", "What about the holiday campaign?"),
    )
    assert not only(cands, ItemKind.decision)


def test_a_proposal_asked_as_a_question_and_agreed_is_a_decision():
    cands, units = run(
        (
            "Raj Mehta",
            "How about we run the chatbot pilot at just the two Florida properties?",
        ),
        ("Elena Park", "Works for me."),
    )
    [decision] = only(cands, ItemKind.decision)
    assert "two Florida properties" in units[decision.head].text
    # Asked, and answered with another question: nothing decided.
    cands, _ = run(
        ("Raj Mehta", "How about we run the chatbot pilot at just the two Florida properties?"),
        ("Elena Park", "Which two?"),
    )
    assert not only(cands, ItemKind.decision)


def test_a_plain_statement_agreed_outright_is_a_decision_a_nod_is_not():
    cands, units = run(
        ("Raj Mehta", "We freeze changes to the legacy email journeys as of today."),
        ("Elena Park", "Agreed. Freeze from today."),
    )
    [decision] = only(cands, ItemKind.decision)
    assert "freeze changes" in units[decision.head].text
    cands, _ = run(
        ("Raj Mehta", "We send the loyalty newsletter from the old platform every Tuesday."),
        ("Elena Park", "Yeah."),
    )
    assert not only(cands, ItemKind.decision)


def test_parking_as_a_hotel_amenity_parks_nothing():
    cands, _ = run(
        ("Raj Mehta", "The top questions are parking, late checkout, pets and the pool hours."),
        ("Elena Park", "There's a parking lot joke in there somewhere."),
    )
    assert not only(cands, ItemKind.parking)


def test_a_decision_said_without_its_content_is_named_by_what_was_just_said():
    cands, units = run(
        ("Raj Mehta", "Let's keep the open house on October twenty-fourth."),
        ("Elena Park", "That's settled, then."),
    )
    decisions = only(cands, ItemKind.decision)
    assert decisions
    for d in decisions:
        topic = units[d.topic if d.topic is not None else d.head].text
        assert "open house" in topic


def test_options_weighed_and_reluctance_are_not_decisions():
    cands, _ = run(
        ("Raj Mehta", "Option one, we send it from Braze and it's our first big send."),
        ("Elena Park", "I don't want to kill our retargeting in the middle of the push."),
        ("Raj Mehta", "Let's hold that to the end, that's the decision slot."),
    )
    assert not only(cands, ItemKind.decision)


def test_picking_a_topic_up_when_someone_is_back_parks_it():
    cands, _ = run(
        ("Elena Park", "Can we text prospects who gave us a mobile number?"),
        ("Raj Mehta", "Not for today — let's pick it up when general counsel is back."),
    )
    [snag] = only(cands, ItemKind.parking)
    assert not only(cands, ItemKind.decision)


def test_a_deferral_that_names_what_it_parks_is_named_by_it():
    cands, units = run(
        ("Elena Park", "Ingrid wants a work email at signup; the product team will riot."),
        (
            "Raj Mehta",
            "This is a forty-minute argument. Put the work email gate in the parking lot and we "
            "come back to it when we have the first PQL numbers.",
        ),
    )
    [snag] = only(cands, ItemKind.parking)
    named = units[snag.topic if snag.topic is not None else snag.head].text
    assert "work email gate" in named


def test_a_deferral_is_named_by_the_topic_put_on_the_list_right_after():
    cands, units = run(
        ("Elena Park", "The board asked why paid social gets credit for everything."),
        ("Raj Mehta", "It's first-touch actually, since March."),
        (
            "Elena Park",
            "Let's take that offline, it's a bigger conversation. Attribution model goes on the "
            "list.",
        ),
    )
    [snag] = only(cands, ItemKind.parking)
    assert "Attribution model" in units[snag.topic].text


def test_the_parked_question_named_again_is_not_a_new_snag():
    cands, _ = run(
        ("Elena Park", "Back to the parked question about attribution, just briefly."),
        ("Raj Mehta", "Can we pick it up once the site is live?"),
    )
    assert not only(cands, ItemKind.parking)


def test_the_chair_closing_an_agreed_proposal_adds_no_second_decision():
    cands, units = run(
        (
            "Raj Mehta",
            "So I'd propose we move the campaign reporting from last-touch to position-based, "
            "from the November numbers onwards.",
        ),
        ("Elena Park", "Agreed. Last-touch is underselling SMS badly."),
        ("Nadia Costa", "That works for me. We keep the raw last-touch numbers as well."),
        ("Raj Mehta", "Good. Then that's decided: position-based from November."),
    )
    [decision] = only(cands, ItemKind.decision)
    assert units[decision.head].turn_index == 0
    assert 3 in {units[s].turn_index for s in decision.support}


def test_taking_a_topic_to_another_meeting_parks_it_and_decides_nothing():
    cands, units = run(
        ("Elena Park", "Attribution again: last-touch or position-based?"),
        (
            "Raj Mehta",
            "Let's not decide it in the weekly. Elena, let's take attribution to our one-on-one "
            "next week and decide there.",
        ),
        ("Elena Park", "Fine."),
    )
    assert not only(cands, ItemKind.decision)
    assert only(cands, ItemKind.parking)


def test_work_needed_at_some_point_is_no_commitment():
    cands, _ = run(("Tom Becker", "At some point we need to migrate to the new data warehouse."))
    assert not only(cands, ItemKind.action)


def test_a_short_decision_keeps_its_own_words():
    cands, units = run(
        ("Raj Mehta", "Recap: SSO for HubSpot is done, the inventory is done."),
        ("Raj Mehta", "We switch to mParticle."),
        ("Elena Park", "Agreed."),
    )
    [decision] = only(cands, ItemKind.decision)
    assert units[decision.head].text == "We switch to mParticle." and decision.topic is None


def test_a_topic_taken_to_another_meeting_is_named_by_the_topic_alone():
    text = parking_text(
        "Marcus, let's take attribution to our one-on-one next week and decide there, with Sam "
        "and Priya joining.",
        None,
    )
    assert text == "Attribution."


def test_a_deferral_named_by_the_next_deferral_takes_its_topic_alone():
    text = parking_text(
        "Let's not decide it in the weekly.",
        "Marcus, let's take attribution to our one-on-one next week and decide there.",
    )
    assert text == "Attribution."


def test_a_task_that_ends_pointing_back_says_what_it_points_at():
    text = action_text(
        "Priya Shah",
        "Priya, can you ask the content team to switch that on today?",
        "In the meantime we mask form fields in Hotjar on the checkout pages.",
        date(2026, 10, 6),
        "today",
    )
    assert text.startswith("Priya Shah: ask the content team to switch that (re: we mask form")
    assert text.endswith("— due 2026-10-06")
    # A task that says what it is keeps its own words.
    plain = action_text(
        "Priya Shah", "I'll send the banner copy to legal.", "Earlier talk.", None, None
    )
    assert plain == "Priya Shah: send the banner copy to legal"


def test_a_task_whose_object_is_a_pronoun_says_what_it_is():
    """ "I'll have it live on the storefront by November sixth": "it" is what was discussed."""
    said = "I'll have it live on the storefront by November sixth."
    assert ends_pointing(said, "Kenji Watanabe", "by November sixth")
    text = action_text(
        "Kenji Watanabe",
        said,
        "My team will build the new consent banner in two sprints.",
        date(2026, 11, 6),
        "by November sixth",
    )
    assert text == (
        "Kenji Watanabe: it live on the storefront (re: My team will build the new consent"
        " banner …) — due 2026-11-06"
    )
    # Too little said ("it live") to trust a topic found before it in its place.
    assert not ends_pointing("I'll have it live by Friday.", "Kenji Watanabe", "by Friday")


def test_the_spoken_date_leaves_the_task_whole_whichever_phrase_was_kept():
    """The due phrase may come from the answer ("end of next week's fine"): the request's "by
    the end of next week" still goes whole, not leaving "by the" behind."""
    from assistant.extract.phrasing import task_phrase

    said = "Can you have it built and tested in Sailthru by the end of next week?"
    for phrase in ("end of next week", "by the end of next week"):
        assert task_phrase(said, "Wen Zhao", phrase) == "have it built and tested in Sailthru"


def test_a_decision_reads_as_decided_not_as_proposed():
    from assistant.extract.phrasing import decision_text

    assert decision_text("My proposal is that we go with Tealium, subject to review.") == (
        "We go with Tealium, subject to review."
    )
    assert decision_text("What I'd like to do is take twenty percent of the budget.") == (
        "Take twenty percent of the budget."
    )
    assert decision_text("That's where we land: texts go through the ops service.") == (
        "Texts go through the ops service."
    )


def test_the_person_a_deferral_is_said_to_is_not_the_snag():
    text = parking_text("Let's park the budget split, Owen.", None, ["Owen Gallagher"])
    assert text == "The budget split."


def test_asking_the_room_to_read_and_leave_feedback_is_open_work():
    cands, _ = run(
        (
            "Raj Mehta",
            "So, if you haven't read the specification yet, please do, and leave the feedback.",
        ),
    )
    [action] = only(cands, ItemKind.action)
    assert action.pattern == "open-request" and action.owner is None


def test_asking_for_an_update_or_running_the_call_is_not_an_action():
    """ethpm calls: the chair asks for news, a speaker shares a screen or closes the call."""
    cands, _ = run(
        ("Elena Park", "Raj, could you give us an update on the SSO work?"),
        ("Raj Mehta", "Sure. So, I will give a brief update on where the integration stands."),
        ("Raj Mehta", "Let me get that on the right screen."),
        ("Elena Park", "Great. If nothing else, thank you all for attending."),
    )
    assert only(cands, ItemKind.action) == []


def test_an_update_promised_to_someone_is_still_an_action():
    cands, units = run(("Raj Mehta", "I'll give the steering group an update by Friday."))
    actions = only(cands, ItemKind.action)
    assert [units[c.head].text for c in actions] == [
        "I'll give the steering group an update by Friday."
    ]
    assert actions[0].owner == "Raj Mehta"
