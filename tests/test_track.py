"""Items across meetings, on the bundled sample meetings with the real MiniLM model:
actions reported done, parked snags revisited then resolved, decisions superseded,
people's corrections kept through re-extraction and undoable."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.embed import MiniLMEmbedder
from assistant.errors import InvalidInput
from assistant.models import Evidence
from assistant.service import Liaison
from assistant.store.items import ItemFilters
from tests.conftest import SAMPLES, ScriptedExtractor, draft

pytestmark = pytest.mark.model

SCRIPT = {
    "2026-10-06": [
        draft("decision", "Use Segment as the CDP.", 7, "We'll go with Segment as the CDP."),
        draft(
            "action",
            "Set up the SSO integration for HubSpot.",
            22,
            "Sam, can you set up the SSO integration for HubSpot by Friday?",
            owner="Sam Ortiz",
            due=date(2026, 10, 9),
        ),
        draft(
            "parking",
            "Which attribution model to use.",
            37,
            "let's park the attribution model question for now",
        ),
        draft(
            "parking",
            "Migrate the data warehouse off the old cluster.",
            40,
            "Let's put the data warehouse migration in the parking lot",
        ),
    ],
    "2026-10-13": [
        draft(
            "decision",
            "Use mParticle instead of Segment as the CDP.",
            13,
            "Instead of Segment we'll go with mParticle after all.",
        ),
    ],
    "2026-10-20": [
        draft(
            "decision",
            "Use a position-based attribution model, forty-twenty-forty.",
            22,
            "We'll use a position-based attribution model, forty-twenty-forty",
        ),
        draft(
            "decision",
            "Split the mParticle licence sixty-forty, marketing sixty.",
            5,
            "So we'll split the mParticle licence sixty-forty, marketing sixty",
        ),
    ],
    "2026-10-27": [
        draft(
            "decision",
            "The licence is split sixty-forty, marketing sixty.",
            32,
            "It's sixty-forty, marketing sixty, including run cost.",
        ),
        draft(
            "action",
            "Send the revised CDP timeline to the steering committee.",
            36,
            "send the revised CDP timeline to the steering committee",
        ),
    ],
}


@pytest.fixture(scope="module")
def minilm():
    return MiniLMEmbedder()


@pytest.fixture
def tracked(settings, minilm):
    service = Liaison(settings, embedder=minilm, extractor=ScriptedExtractor(SCRIPT))
    service.import_goals((SAMPLES / "goals.yaml").read_text())
    for name in (
        "2026-10-06-weekly-sync.vtt",
        "2026-10-13-weekly-sync.txt",
        "2026-10-20-monthly-1on1.json",
        "2026-10-27-qbr.docx",
    ):
        assert service.ingest_path(SAMPLES / name).ok
    return service


def by_text(service, fragment):
    found = [i for i in service.items(ItemFilters(), 1000)[0] if fragment in i.text]
    assert len(found) == 1, fragment
    return found[0]


def test_action_reported_done_later_is_marked_done_with_evidence(tracked):
    action = by_text(tracked, "SSO integration")
    assert action.status == "done"
    [ev] = action.status_evidence
    assert "finished" in ev.quote and ev.meeting_id != action.meeting_id


def test_decision_changed_later_is_superseded_and_linked(tracked):
    old = by_text(tracked, "Use Segment")
    new = by_text(tracked, "mParticle instead")
    assert (old.status, old.related_item_id) == ("superseded", new.id)
    assert new.status == "standing"


def test_a_restated_decision_does_not_supersede_the_original(tracked):
    assert by_text(tracked, "Split the mParticle licence").status == "standing"
    # … nor is it stored a second time: the QBR's restatement is the 1:1's decision.
    assert [i.text for i in tracked.items(ItemFilters(kind="decision"), 100)[0]].count(
        "The licence is split sixty-forty, marketing sixty."
    ) == 0


def test_parked_snag_revisited_then_resolved_by_decision(tracked):
    parked = by_text(tracked, "attribution model to use")
    decision = by_text(tracked, "position-based")
    assert parked.status == "resolved" and parked.related_item_id == decision.id
    warehouse = by_text(tracked, "data warehouse")
    assert warehouse.status in ("parked", "revisited")
    lot = tracked.parking_lot(today=date(2026, 10, 27))
    assert [(i.id, age) for i, age in lot] == [(warehouse.id, 21)]


def test_items_link_to_goals_by_meaning(tracked):
    assert by_text(tracked, "mParticle instead").goal_id == "cdp-live"


def test_corrections_survive_reextraction_and_can_be_undone(tracked):
    action = by_text(tracked, "SSO integration")
    tracked.update_item(
        action.id, {"owner": "Priya Shah", "due": date(2026, 10, 16)}, author="dana"
    )
    with pytest.raises(InvalidInput):
        tracked.update_item(action.id, {"status": "superseded"})
    items = tracked.extract(action.meeting_id)
    kept = [i for i in items if i.id == action.id]
    assert kept and kept[0].owner == "Priya Shah" and set(kept[0].edited_fields) == {"owner", "due"}
    assert len([i for i in items if "SSO integration" in i.text]) == 1  # not duplicated
    tracked.update_item(action.id, {"text": "Set up SSO for HubSpot and Canva."})
    undone = tracked.undo_item(action.id)  # the last correction only
    assert undone.text == "Set up the SSO integration for HubSpot." and undone.owner == "Priya Shah"
    undone = tracked.undo_item(action.id)  # the first correction, both its fields
    assert (undone.owner, undone.due) == ("Sam Ortiz", date(2026, 10, 9))
    assert undone.edited_fields == []
    with pytest.raises(InvalidInput):
        tracked.undo_item(action.id)


def test_reextraction_keeps_later_meetings_statuses_and_neighbours_of_corrections(tracked):
    segment = by_text(tracked, "Use Segment")
    sso = by_text(tracked, "SSO integration")
    parked = by_text(tracked, "attribution model to use")
    tracked.update_item(parked.id, {"owner": "Marcus Lee"}, author="dana")
    # The extractor now cites the corrected snag's turn (37) as support for the warehouse snag:
    # a neighbour of a correction, not a copy of it.
    script = list(SCRIPT["2026-10-06"])
    warehouse = script[3]
    support = Evidence(turn_index=37, quote="let's park the attribution model question for now")
    script[3] = warehouse.model_copy(update={"evidence": [*warehouse.evidence, support]})

    items = tracked.extract(segment.meeting_id, extractor=ScriptedExtractor({"2026-10-06": script}))

    assert len(items) == 4 and by_text(tracked, "data warehouse").kind == "parking"
    again = by_text(tracked, "Use Segment")  # what the 10-13 meeting said about it still holds
    assert (again.id, again.status) == (segment.id, "superseded")
    assert again.related_item_id == by_text(tracked, "mParticle instead").id
    assert by_text(tracked, "SSO integration").status == sso.status == "done"
    assert by_text(tracked, "attribution model to use").status == "resolved"


def test_deleting_a_meeting_undoes_what_its_words_changed(tracked):
    second = by_text(tracked, "mParticle instead").meeting_id  # the 2026-10-13 sync
    tracked.delete_meeting(second)
    action = by_text(tracked, "SSO integration")
    assert (action.status, action.status_evidence) == ("open", [])
    segment = by_text(tracked, "Use Segment")
    assert (segment.status, segment.related_item_id) == ("standing", None)
    # Resolved by the 1:1, which is still there.
    assert by_text(tracked, "attribution model to use").status == "resolved"


def test_ids_are_never_reused_after_a_delete(tracked):
    newest = max(m.id for m in tracked.meetings()[0])
    top_item = max(i.id for i in tracked.items(ItemFilters(), 1000)[0])
    tracked.delete_meeting(newest)
    again = tracked.ingest_path(SAMPLES / "2026-10-27-qbr.docx").meeting
    assert again.id > newest
    assert min(i.id for i in tracked.items(ItemFilters(meeting_id=again.id))[0]) > top_item
