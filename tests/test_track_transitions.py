"""Tracking v2 (assistant/track.py): what a later meeting says updates the earlier item instead
of creating a new one. One test per transition, on two short syncs with the real MiniLM model;
the first meeting's items are scripted (the extractor is tested elsewhere), the second meeting's
words are read by the tracker itself."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.embed import MiniLMEmbedder
from assistant.models import MeetingKind
from assistant.service import Liaison
from assistant.store.items import ItemFilters
from tests.conftest import ScriptedExtractor, draft

pytestmark = pytest.mark.model

FIRST = """Elena Park: Morning. Three things today.
Tom Becker: The Segment DPA still needs a signature from legal.
Elena Park: Tom, can you get the Segment DPA signed with legal by Friday?
Tom Becker: Yes, by Friday.
Nadia Costa: I'll turn on Hotjar form masking on the checkout pages.
Elena Park: Let's park the budget split between marketing and IT until finance is back.
Tom Becker: We go with Tealium as the CDP.
Nadia Costa: I'll migrate the survey tool to the company account.
Elena Park: Tom, please send the banner copy to legal by October thirtieth.
Tom Becker: Will do.
"""

FIRST_ITEMS = [
    draft("action", "Tom Becker: Segment DPA signed with legal — due 2026-10-09", 2,
          "Tom, can you get the Segment DPA signed with legal by Friday?", owner="Tom Becker",
          due=date(2026, 10, 9)),
    draft("action", "Nadia Costa: turn on Hotjar form masking on the checkout pages", 4,
          "I'll turn on Hotjar form masking on the checkout pages.", owner="Nadia Costa"),
    draft("parking", "The budget split between marketing and IT (parked until finance is back)",
          5, "Let's park the budget split between marketing and IT until finance is back."),
    draft("decision", "We go with Tealium as the CDP.", 6, "We go with Tealium as the CDP."),
    draft("action", "Nadia Costa: migrate the survey tool to the company account", 7,
          "I'll migrate the survey tool to the company account.", owner="Nadia Costa"),
    draft("action", "Tom Becker: send the banner copy to legal — due 2026-10-30", 8,
          "Tom, please send the banner copy to legal by October thirtieth.", owner="Tom Becker",
          due=date(2026, 10, 30)),
]  # fmt: skip


@pytest.fixture(scope="module")
def minilm():
    return MiniLMEmbedder()


OPENER = "Elena Park: Morning, everyone. Status on last week's items first.\n"


def two_meetings(settings, minilm, second: str, second_items=()) -> Liaison:
    """FIRST on 6 Oct, then OPENER + `second` on 13 Oct (its scripted items cite turn 1)."""
    second = OPENER + second
    script = {"2026-10-06": FIRST_ITEMS, "2026-10-13": list(second_items)}
    service = Liaison(settings, embedder=minilm, extractor=ScriptedExtractor(script))
    for day, text in (("2026-10-06", FIRST), ("2026-10-13", second)):
        outcome = service.ingest_bytes(
            text.encode(), f"{day}-weekly-sync.txt", day=date.fromisoformat(day)
        )
        assert outcome.ok, outcome.error
    return service


def item(service: Liaison, fragment: str):
    [found] = [i for i in service.items(ItemFilters(), 1000)[0] if fragment in i.text]
    return found


def test_an_action_reported_finished_is_done_with_the_words_as_evidence(settings, minilm):
    service = two_meetings(
        settings, minilm, "Tom Becker: Good news, the Segment DPA is finished, legal signed it.\n"
    )
    dpa = item(service, "Segment DPA")
    assert dpa.status == "done"
    assert "the Segment DPA is finished" in dpa.status_evidence[0].quote
    [event] = [e for e in service.item_history(dpa.id) if e.field == "status"]
    assert (event.old_value, event.new_value, event.source) == ("open", "done", "tracker")
    assert event.meeting_id != dpa.meeting_id and event.evidence


def test_a_state_reported_as_in_place_closes_the_action(settings, minilm):
    service = two_meetings(settings, minilm, "Nadia Costa: Hotjar masking is on since Thursday.\n")
    assert item(service, "Hotjar").status == "done"


def test_work_still_in_progress_does_not_close_the_action(settings, minilm):
    service = two_meetings(
        settings,
        minilm,
        "Tom Becker: The Segment DPA is not finished yet, legal comes back next week.\n",
    )
    assert item(service, "Segment DPA").status == "open"


def test_an_action_no_longer_needed_is_dropped(settings, minilm):
    service = two_meetings(
        settings,
        minilm,
        "Elena Park: The survey tool migration, let's drop that, it's no longer needed.\n",
    )
    assert item(service, "survey tool").status == "dropped"


def test_a_new_date_moves_the_due_date_and_says_why(settings, minilm):
    service = two_meetings(
        settings, minilm, "Tom Becker: I need to move the banner copy for legal to November 13.\n"
    )
    banner = item(service, "banner copy")
    assert banner.status == "open" and banner.due == date(2026, 11, 13)
    [event] = [e for e in service.item_history(banner.id) if e.field == "due"]
    assert (event.old_value, event.new_value) == ("2026-10-30", "2026-11-13")
    assert "November 13" in event.evidence[0].quote
    # Deleting the meeting that moved it puts the date back.
    service.delete_meeting(event.meeting_id)
    assert item(service, "banner copy").due == date(2026, 10, 30)


def test_a_parked_snag_raised_again_is_revisited_not_parked_twice(settings, minilm):
    again = draft(
        "parking",
        "The budget split between marketing and IT.",
        1,
        "The budget split between marketing and IT is still parked until finance is back.",
    )
    service = two_meetings(
        settings,
        minilm,
        "Elena Park: The budget split between marketing and IT is still parked until finance is "
        "back.\n",
        [again],
    )
    lot = [i for i in service.items(ItemFilters(kind="parking"), 100)[0]]
    assert len(lot) == 1 and lot[0].status == "revisited"


def test_a_snag_said_to_be_settled_is_resolved(settings, minilm):
    service = two_meetings(
        settings,
        minilm,
        "Elena Park: That settles the budget split between marketing and IT: the licence on "
        "marketing, the build on IT.\n",
    )
    assert item(service, "budget split").status == "resolved"


def test_a_changed_decision_supersedes_the_earlier_one(settings, minilm):
    changed = draft(
        "decision",
        "We go with Amperity as the CDP, not Tealium.",
        1,
        "Decision: we go with Amperity as the CDP, not Tealium.",
    )
    service = two_meetings(
        settings, minilm, "Elena Park: Decision: we go with Amperity as the CDP, not Tealium.\n",
        [changed],
    )  # fmt: skip
    old, new = item(service, "Tealium as the CDP."), item(service, "Amperity")
    assert (old.status, old.related_item_id) == ("superseded", new.id)


def test_a_decision_said_again_is_not_stored_twice(settings, minilm):
    restated = draft(
        "decision", "We go with Tealium as the CDP.", 1, "We go with Tealium as the CDP."
    )
    service = two_meetings(
        settings, minilm, "Tom Becker: We go with Tealium as the CDP.\n", [restated]
    )
    decisions = service.items(ItemFilters(kind="decision"), 100)[0]
    assert len(decisions) == 1 and decisions[0].status == "standing"


RETENTION_ASK = "Tom, can you bring the retention numbers before the QBR?"


def asked_before_the_qbr(settings, minilm) -> Liaison:
    """A weekly sync on 6 Oct where Tom is asked for the retention numbers "before the QBR"."""
    ask = draft(
        "action",
        "Tom Becker: the retention numbers — due before the QBR",
        1,
        RETENTION_ASK,
        owner="Tom Becker",
        due_phrase="before the QBR",
    )
    script = {"2026-10-06": [ask]}
    service = Liaison(settings, embedder=minilm, extractor=ScriptedExtractor(script))
    text = f"{OPENER}Elena Park: {RETENTION_ASK}\n"
    service.ingest_bytes(text.encode(), "2026-10-06-weekly-sync.txt", day=date(2026, 10, 6))
    return service


def test_before_the_qbr_is_dated_once_the_qbr_is_stored(settings, minilm):
    service = asked_before_the_qbr(settings, minilm)
    assert item(service, "retention").due is None  # no QBR known yet: no date invented
    service.ingest_bytes(
        (OPENER + "Tom Becker: Welcome to the quarterly review.\n").encode(),
        "2026-10-27-qbr.txt",
        day=date(2026, 10, 27),
        kind=MeetingKind.qbr,
    )
    dated = item(service, "retention")
    assert dated.due == date(2026, 10, 27) and dated.due_phrase == "before the QBR"


def test_an_action_due_before_the_qbr_that_the_qbr_reports_done_keeps_its_date(settings, minilm):
    service = asked_before_the_qbr(settings, minilm)
    qbr = OPENER + "Tom Becker: The retention numbers are done, I sent them round on Friday.\n"
    service.ingest_bytes(
        qbr.encode(), "2026-10-27-qbr.txt", day=date(2026, 10, 27), kind=MeetingKind.qbr
    )
    dated = item(service, "retention")
    assert dated.status == "done" and dated.due == date(2026, 10, 27)


def test_a_question_reports_nothing(settings, minilm):
    service = two_meetings(
        settings, minilm, "Elena Park: Tom, is the Segment DPA finished, has legal signed it?\n"
    )
    assert item(service, "Segment DPA").status == "open"


def test_words_that_deny_a_settlement_do_not_resolve_the_snag(settings, minilm):
    service = two_meetings(
        settings,
        minilm,
        "Elena Park: Finance sent numbers, but they don't settle the budget split between "
        "marketing and IT yet.\n",
    )
    assert item(service, "budget split").status != "resolved"


def test_an_item_said_twice_in_one_meeting_is_stored_once(settings, minilm):
    stated = draft(
        "decision", "We go with Amperity as the CDP.", 1, "We go with Amperity as the CDP."
    )
    recap = draft(
        "decision", "We go with Amperity for the CDP.", 2, "We go with Amperity for the CDP."
    )
    service = two_meetings(
        settings,
        minilm,
        "Elena Park: We go with Amperity as the CDP.\n"
        "Tom Becker: To recap: we go with Amperity for the CDP.\n",
        [stated, recap],
    )
    amperity = [
        i for i in service.items(ItemFilters(kind="decision"), 100)[0] if "Amperity" in i.text
    ]
    assert len(amperity) == 1


def test_the_items_page_and_the_api_show_what_a_later_meeting_said(settings, minilm):
    from tests.conftest import api_client

    service = two_meetings(
        settings, minilm, "Tom Becker: Good news, the Segment DPA is finished, legal signed it.\n"
    )
    dpa = item(service, "Segment DPA")
    with api_client(settings, service) as client:
        history = client.get(f"/items/{dpa.id}/history").json()["events"]
        [event] = [e for e in history if e["field"] == "status"]
        assert (event["new_value"], event["source"]) == ("done", "tracker")
        page = client.get("/app/items?kind=action")
        assert page.status_code == 200
        assert "the Segment DPA is finished" in page.text


def test_a_snag_said_to_be_still_in_the_parking_lot_is_revisited(settings, minilm):
    # Few words in common with the snag's text: naming the parking lot is what tells.
    service = two_meetings(
        settings,
        minilm,
        "Tom Becker: Budget is still in the parking lot from last week, and it stays there for "
        "now.\n",
    )
    assert item(service, "budget split").status == "revisited"


def test_a_snag_reported_sorted_is_resolved(settings, minilm):
    service = two_meetings(
        settings,
        minilm,
        "Tom Becker: The budget split between marketing and IT is sorted: licence on marketing, "
        "build on IT.\n",
    )
    assert item(service, "budget split").status == "resolved"


def test_work_reported_of_someone_who_owes_one_thing_closes_that_thing(settings, minilm):
    # "Bea sent me the list": few words in common with "take the page inventory", but Bea owes
    # nothing else, and sending is what finishing it looks like.
    first = (
        "Elena Park: Bea, can you take the page inventory, what we need on day one versus what "
        "can come in February?\nBea Lindqvist: Sure, by Friday.\n"
    )
    second = OPENER + "Elena Park: Bea sent me the list of pages we need at launch.\n"
    inventory = draft(
        "action",
        "Bea Lindqvist: take the page inventory, what we need on day one versus February",
        0,
        "Bea, can you take the page inventory, what we need on day one versus what can come in "
        "February?",
        owner="Bea Lindqvist",
    )
    script = {"2026-10-06": [inventory, *FIRST_ITEMS[:1]], "2026-10-13": []}
    service = Liaison(settings, embedder=minilm, extractor=ScriptedExtractor(script))
    for day, text in (("2026-10-06", FIRST + first), ("2026-10-13", second)):
        assert service.ingest_bytes(
            text.encode(), f"{day}-weekly-sync.txt", day=date.fromisoformat(day)
        ).ok
    assert item(service, "page inventory").status == "done"
    assert item(service, "Segment DPA").status == "open"


@pytest.mark.parametrize(
    "said",
    [
        "Tom Becker: The banner copy went in to legal on Monday, a day early.",
        "Nadia Costa: The survey tool has been on the company account since the second, and we "
        "haven't touched the old login since.",
    ],
)
def test_work_reported_in_place_since_a_day_closes_the_action(settings, minilm, said):
    service = two_meetings(settings, minilm, said + "\n")
    assert item(service, "banner copy" if "banner" in said else "survey tool").status == "done"


def test_work_folded_into_something_else_is_dropped(settings, minilm):
    service = two_meetings(
        settings,
        minilm,
        "Tom Becker: Legal folded the banner copy into the brand review, so I'm not sending it "
        "to them separately.\n",
    )
    assert item(service, "banner copy").status == "dropped"


def test_a_decision_moved_to_another_choice_supersedes_the_earlier_one(settings, minilm):
    changed = draft(
        "decision",
        "We move the CDP to Amperity.",
        1,
        "So I'd propose we move the CDP to Amperity, from November.",
    )
    service = two_meetings(
        settings,
        minilm,
        "Elena Park: So I'd propose we move the CDP to Amperity, from November.\n",
        [changed],
    )
    assert item(service, "Tealium as the CDP.").status == "superseded"


def test_one_sentence_that_reports_two_things_closes_both(settings, minilm):
    service = two_meetings(
        settings,
        minilm,
        "Tom Becker: Both done. Legal signed the Segment DPA on Wednesday, and the banner copy "
        "went in to legal on Friday afternoon.\n",
    )
    assert item(service, "Segment DPA").status == "done"
    assert item(service, "banner copy").status == "done"


def test_two_similar_actions_of_two_people_are_both_kept(settings, minilm):
    designs = draft(
        "action",
        "Lucia Ferraro: final consent banner designs to Kenji",
        1,
        "Lucia, can you get the final consent banner designs to Kenji?",
        owner="Lucia Ferraro",
    )
    estimate = draft(
        "action", "Kenji Watanabe: estimate for building the new consent banner designs", 2,
        "Kenji, can you estimate building the new consent banner designs?",
        owner="Kenji Watanabe",
    )  # fmt: skip
    text = (
        "Elena Park: Lucia, can you get the final consent banner designs to Kenji?\n"
        "Elena Park: Kenji, can you estimate building the new consent banner designs?\n"
        "Kenji Watanabe: Yes.\n"
    )
    service = Liaison(
        settings, embedder=minilm, extractor=ScriptedExtractor({"2026-10-06": [designs, estimate]})
    )
    assert service.ingest_bytes(text.encode(), "sync.txt", day=date(2026, 10, 6)).ok
    owners = {i.owner for i in service.items(ItemFilters(kind="action"), 100)[0]}
    assert owners == {"Lucia Ferraro", "Kenji Watanabe"}


def test_a_snag_named_by_its_meeting_is_resolved_though_its_words_differ(settings, minilm):
    # Nothing of "the budget split … until finance is back" is in the words; the meeting is.
    service = two_meetings(
        settings,
        minilm,
        "Tom Becker: Finance came back to us, so that closes the item from October.\n",
    )
    assert item(service, "budget split").status == "resolved"


def test_a_decision_named_as_replaced_is_superseded(settings, minilm):
    service = two_meetings(
        settings,
        minilm,
        "Elena Park: Legal wants the EU data to stay in Frankfurt.\n"
        "Tom Becker: Then mParticle it is; that replaces the October decision.\n",
        [draft("decision", "mParticle is the CDP.", 2, "Then mParticle it is")],
    )
    tealium = item(service, "Tealium")
    assert tealium.status == "superseded"


def test_a_meeting_named_as_a_time_names_no_item(settings, minilm):
    # "in October" says when, not which meeting's item: the snag stays parked.
    service = two_meetings(
        settings, minilm, "Tom Becker: We closed the Q3 books in October, all fine.\n"
    )
    assert item(service, "budget split").status == "parked"


def test_contracted_since_and_isnt_needed_anymore_are_read(settings, minilm):
    service = two_meetings(
        settings,
        minilm,
        "Nadia Costa: Hotjar form masking on the checkout pages, it's been on since Thursday.\n"
        "Nadia Costa: And the survey tool migration isn't needed anymore, we cancelled the "
        "survey tool.\n",
    )
    assert item(service, "Hotjar").status == "done"
    assert item(service, "survey tool").status == "dropped"


def test_work_still_going_or_a_story_of_last_time_closes_nothing(settings, minilm):
    service = two_meetings(
        settings,
        minilm,
        "Nadia Costa: The survey tool migration is going, we found forty old surveys.\n"
        "Tom Becker: Last time the banner copy went to legal in pieces, so I'm bundling it.\n",
    )
    assert item(service, "survey tool").status == "open"
    assert item(service, "banner copy").status == "open"


def test_the_recap_naming_an_owner_repeats_their_action_it_adds_none(settings, minilm):
    text = (
        "Elena Park: Tom, can you get the Segment DPA signed with legal by Friday?\n"
        "Tom Becker: Yes, by Friday.\n"
        "Elena Park: To recap: Tom gets legal's signature on the DPA, Friday.\n"
    )
    script = {
        "2026-10-06": [
            draft("action", "Tom Becker: Segment DPA signed with legal — due 2026-10-09", 0,
                  "Tom, can you get the Segment DPA signed with legal by Friday?",
                  owner="Tom Becker", due=date(2026, 10, 9)),
            draft("action", "Tom gets legal's signature on the DPA, Friday", 2,
                  "Tom gets legal's signature on the DPA, Friday."),
        ]
    }  # fmt: skip
    service = Liaison(settings, embedder=minilm, extractor=ScriptedExtractor(script))
    outcome = service.ingest_bytes(text.encode(), "2026-10-06-weekly-sync.txt")
    assert outcome.ok, outcome.error
    actions = service.items(ItemFilters(), 100)[0]
    assert [a.owner for a in actions] == ["Tom Becker"]


def test_a_snag_parked_again_in_fewer_words_is_that_snag_revisited(settings, minilm):
    service = two_meetings(
        settings,
        minilm,
        "Elena Park: The split again? Let's take the budget split to the QBR.\n",
        [draft("parking", "Budget split.", 1, "Let's take the budget split to the QBR.")],
    )
    snags = [i for i in service.items(ItemFilters(), 100)[0] if i.kind.value == "parking"]
    assert [s.status for s in snags] == ["revisited"]


@pytest.mark.parametrize(
    ("said", "fragment", "status"),
    [
        ("Tom Becker: And the banner copy for legal. I signed that off last Thursday.\n",
         "banner copy", "done"),
        ("Nadia Costa: Honestly, forget the survey tool migration, we're cancelling the tool.\n",
         "survey tool", "dropped"),
        ("Elena Park: And the budget split between marketing and IT. We still haven't landed "
         "that.\n", "budget split", "revisited"),
    ],
)  # fmt: skip
def test_status_said_in_other_words_is_read(settings, minilm, said, fragment, status):
    """Done, dropped and revisited said the way people say them: "I signed that off", "forget
    the …", "we still haven't landed that"."""
    service = two_meetings(settings, minilm, said)
    assert item(service, fragment).status == status
