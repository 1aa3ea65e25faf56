"""Speaker names: a rename re-derives turns, attendees, search, owners and teams, and is undone
as a whole; aliases make two spellings one person across meetings (assistant/rename.py)."""

from __future__ import annotations

import json

import pytest

from assistant.errors import InvalidInput
from assistant.models import Person, SearchFilters, Team, Turn
from assistant.speakers import clean_name, is_placeholder, parse_turns, resolve_speakers
from assistant.store.items import ItemFilters
from tests.conftest import draft

SYNC_A = b"""Title: Sync A
Date: 2026-10-06

DANA COLE: Welcome everyone, let us start with the CDP vendor review.
Speaker 2: I can have the SSO integration live by November tenth.
DANA COLE: Great. Can you also own the DPA?
Speaker 2: Yes, I will own the DPA review.
Sam Ortiz: I will send the budget split.
"""

LAUNCH = b"""WEBVTT

00:00:01.000 --> 00:00:04.000
Dana C.: Thanks all, quick one today about the launch.

00:00:05.000 --> 00:00:09.000
Marcus Lee: I will draft the launch brief by Friday.

00:00:10.000 --> 00:00:14.000
Dana C.: I will book the venue.
"""

REVIEW = b"""Title: Review B
Date: 2026-10-20

Dana Cole: The venue is booked, thanks everyone.
Marcus Lee: Then the launch brief is next.
"""


@pytest.fixture
def world(liaison, extractor):
    extractor.by_title["Sync A"] = [
        draft(
            "action",
            "Speaker 2: SSO integration live",
            1,
            "SSO integration live",
            owner="Speaker 2",
        ),  # fmt: skip
        draft("action", "Speaker 2: DPA review", 3, "I will own the DPA review", owner="Speaker 2"),
        draft("action", "Sam Ortiz: budget split", 4, "send the budget split", owner="Sam Ortiz"),
    ]
    extractor.by_title["Launch"] = [
        draft("action", "Dana C.: book the venue", 2, "book the venue", owner="Dana C."),
    ]
    liaison.save_people(
        [Person(name="Raj Mehta", team=Team.it), Person(name="Dana Cole", team=Team.marketing)]
    )
    a = liaison.ingest_bytes(SYNC_A, "sync-a.txt").meeting
    assert a is not None
    return liaison, a.id


def _items(liaison, meeting_id):
    found, _ = liaison.items(ItemFilters(meeting_id=meeting_id))
    return {i.evidence[0].turn_index: i for i in found}


def _fts(liaison, word):
    conn = liaison.db.connect()
    return conn.execute("SELECT rowid FROM chunks_fts WHERE chunks_fts MATCH ?", (word,)).fetchall()


def _snapshot(liaison, meeting_id):
    conn = liaison.db.connect()
    items = _items(liaison, meeting_id)
    return {
        "turns": [t.speaker for t in liaison.meeting(meeting_id).turns],
        "attendees": liaison.meeting(meeting_id).meeting.attendees,
        "chunks": conn.execute(
            "SELECT id, text, speakers, vector FROM chunks WHERE meeting_id = ? ORDER BY id",
            (meeting_id,),
        ).fetchall(),
        "chunk_speakers": conn.execute("SELECT * FROM chunk_speakers ORDER BY 1, 2").fetchall(),
        "items": {k: (i.owner, i.text, i.team, i.evidence) for k, i in items.items()},
    }


def test_rename_rederives_turns_attendees_owners_teams_and_search(world):
    liaison, a = world
    # A person corrects the owner of the DPA review: that correction must survive the rename.
    dpa = _items(liaison, a)[3]
    liaison.update_item(dpa.id, {"owner": "Priya Shah"}, author="dana")

    result = liaison.rename_speaker(a, "Speaker 2", "Raj Mehta", author="dana")

    assert result.turns == 2 and result.items == 1 and result.alias is None  # a placeholder
    detail = liaison.meeting(a)
    assert [t.speaker for t in detail.turns] == [
        "DANA COLE", "Raj Mehta", "DANA COLE", "Raj Mehta", "Sam Ortiz"]  # fmt: skip
    assert detail.meeting.attendees == ["DANA COLE", "Raj Mehta", "Sam Ortiz"]
    items = _items(liaison, a)
    sso = items[1]
    assert (sso.owner, sso.text, sso.team) == ("Raj Mehta", "Raj Mehta: SSO integration live",
                                               Team.it)  # fmt: skip
    assert sso.evidence[0].speaker == "Raj Mehta"
    assert items[3].owner == "Priya Shah"  # corrected by a person: kept
    assert items[3].evidence[0].speaker == "Raj Mehta"  # the words are still Raj's
    assert items[4].owner == "Sam Ortiz"
    history = liaison.item_history(sso.id)
    assert [(e.field, e.old_value, e.new_value, e.source, e.author) for e in history] == [
        ("owner", "Speaker 2", "Raj Mehta", "rename", "dana"),
        ("text", "Speaker 2: SSO integration live", "Raj Mehta: SSO integration live", "rename",
         "dana"),
        ("team", "unknown", "IT", "rename", "dana"),
    ]  # fmt: skip
    # Search: the speaker filter and the full-text index know the new name, not the old one.
    assert liaison.search("SSO integration", SearchFilters(speaker="Raj Mehta"))
    assert not liaison.search("SSO integration", SearchFilters(speaker="Speaker 2"))
    assert liaison.meetings(SearchFilters(speaker="Raj"))[1] == 1
    assert _fts(liaison, "Raj") and not _fts(liaison, '"Speaker 2"')
    # Items of the person: by their name.
    assert [i.id for i in liaison.items(ItemFilters(owner="Raj Mehta"))[0]] == [sso.id]


def test_undo_restores_everything_the_rename_changed(world):
    liaison, a = world
    dpa = _items(liaison, a)[3]
    liaison.update_item(dpa.id, {"owner": "Priya Shah"})
    before = _snapshot(liaison, a)

    liaison.rename_speaker(a, "Speaker 2", "Raj Mehta")
    assert _snapshot(liaison, a) != before
    undone = liaison.undo_rename(a)

    assert undone.undone and undone.old_name == "Speaker 2"
    assert _snapshot(liaison, a) == before
    assert liaison.search("SSO integration", SearchFilters(speaker="Speaker 2"))
    assert not _fts(liaison, "Raj")
    sso = _items(liaison, a)[1]
    assert [e.undone for e in liaison.item_history(sso.id)] == [True, True, True]
    assert liaison.items(ItemFilters(owner="Raj Mehta"))[1] == 0
    with pytest.raises(InvalidInput, match="no speaker rename to undo"):
        liaison.undo_rename(a)
    # An item correction is not a rename: undoing the item reverts the person's owner only.
    assert liaison.undo_item(dpa.id).owner == "Speaker 2"


def test_renames_undo_last_first_and_a_case_fix_keeps_its_alias_until_undone(world):
    liaison, a = world
    first = liaison.rename_speaker(a, "Speaker 2", "Raj Mehta")
    second = liaison.rename_speaker(a, "dana cole", "Dana Cole")  # any case finds the label
    assert second.alias is not None and second.alias.alias == "DANA COLE"
    assert [al.name for al in liaison.speaker_aliases()[0]] == ["Dana Cole"]
    assert liaison.meeting(a).meeting.attendees == ["Dana Cole", "Raj Mehta", "Sam Ortiz"]
    assert liaison.undo_rename(a).id == second.rename.id
    assert liaison.speaker_aliases()[1] == 0  # the alias it stored went with it
    assert liaison.meeting(a).meeting.attendees == ["DANA COLE", "Raj Mehta", "Sam Ortiz"]
    assert liaison.undo_rename(a).id == first.rename.id
    renames = liaison.meeting_speakers(a).renames
    assert [r.undone for r in renames] == [True, True]


def test_an_alias_makes_two_spellings_one_person_across_meetings(world):
    liaison, a = world
    b = liaison.ingest_bytes(REVIEW, "review-b.txt").meeting
    launch = liaison.ingest_bytes(LAUNCH, "2026-10-13-launch.vtt").meeting
    assert b and launch

    # In meeting A, DANA COLE is Dana Cole; the alias is kept.
    liaison.rename_speaker(a, "DANA COLE", "Dana Cole")
    # "Dana C." in the launch call is her too: every stored meeting where that spelling
    # speaks is renamed, her item there takes her name and her side.
    result = liaison.set_speaker_alias("Dana C.", "Dana Cole", author="dana")
    assert [r.meeting.id for r in result.renamed] == [launch.id]
    venue = _items(liaison, launch.id)[2]
    assert (venue.owner, venue.team) == ("Dana Cole", Team.marketing)

    with_dana = {m.id for m in liaison.meetings(SearchFilters(speaker="Dana Cole"))[0]}
    assert with_dana == {a, b.id, launch.id}
    assert not liaison.meetings(SearchFilters(speaker="Dana C."))[0]
    assert {al.alias: al.name for al in liaison.speaker_aliases()[0]} == {
        "DANA COLE": "Dana Cole", "Dana C.": "Dana Cole"}  # fmt: skip

    # Later transcripts: the pipeline resolves their turns with the stored aliases.
    turns = [Turn(index=0, speaker="dana c.", text="hi"), Turn(index=1, speaker="X", text="yo")]
    resolved = resolve_speakers(turns, liaison.speaker_names.alias_map())
    assert [t.speaker for t in resolved] == ["Dana Cole", "X"]

    liaison.remove_speaker_alias("Dana C.")
    assert liaison.speaker_aliases()[1] == 1


def test_a_case_fix_beside_turns_already_so_named_renames_all_and_keeps_the_alias(liaison):
    text = SYNC_A.replace(b"DANA COLE: Great.", b"Dana Cole: Great.")
    meeting = liaison.ingest_bytes(text, "sync-a.txt").meeting
    assert meeting is not None
    result = liaison.rename_speaker(meeting.id, "DANA COLE", "Dana Cole")
    assert result.turns == 1 and result.alias is not None
    assert liaison.meeting(meeting.id).meeting.attendees == ["Dana Cole", "Speaker 2", "Sam Ortiz"]


def test_naming_turns_that_had_no_speaker(liaison):
    segments = [(1, 3, "hello there."), (40, 46, "we should ship it."), (80, 90, "agreed.")]
    text = json.dumps({"segments": [{"start": a, "end": b, "text": t} for a, b, t in segments]})
    meeting = liaison.ingest_bytes(text.encode(), "memo.json").meeting
    assert meeting and meeting.warnings  # "no speaker names in this file"
    speakers = liaison.meeting_speakers(meeting.id)
    assert speakers.unnamed == [None]
    result = liaison.rename_speaker(meeting.id, "", "Raj Mehta", turns=[0, 1])
    assert result.alias is None
    assert [t.speaker for t in liaison.meeting(meeting.id).turns] == ["Raj Mehta", "Raj Mehta",
                                                                      None]  # fmt: skip
    assert liaison.meeting(meeting.id).meeting.attendees == ["Raj Mehta"]
    liaison.undo_rename(meeting.id)
    assert [t.speaker for t in liaison.meeting(meeting.id).turns] == [None, None, None]


def test_bad_renames_say_why_and_change_nothing(world):
    liaison, a = world
    before = _snapshot(liaison, a)
    with pytest.raises(InvalidInput, match="no speaker 'Nobody'.*Speaker 2"):
        liaison.rename_speaker(a, "Nobody", "Raj Mehta")
    with pytest.raises(InvalidInput, match="turn\\(s\\) 0 of meeting"):
        liaison.rename_speaker(a, "Speaker 2", "Raj Mehta", turns=[0, 1])
    with pytest.raises(InvalidInput, match="empty"):
        liaison.rename_speaker(a, "Speaker 2", "   ")
    with pytest.raises(InvalidInput, match="colon"):
        liaison.rename_speaker(a, "Speaker 2", "Raj: Mehta")
    with pytest.raises(InvalidInput, match="cannot be an alias"):
        liaison.rename_speaker(a, "Speaker 2", "Raj Mehta", alias=True)
    with pytest.raises(InvalidInput, match="already"):
        liaison.rename_speaker(a, "Sam Ortiz", "Sam Ortiz")
    with pytest.raises(InvalidInput, match="different person in each meeting"):
        liaison.set_speaker_alias("Speaker 2", "Raj Mehta")
    assert _snapshot(liaison, a) == before
    assert liaison.speaker_aliases()[1] == 0


def test_name_helpers():
    assert all(map(is_placeholder, ["Speaker 2", "SPEAKER_01", "spk_0", "Unknown", None, "A"]))
    assert not any(map(is_placeholder, ["Raj Mehta", "potuz", "DANA COLE"]))
    assert clean_name("  Raj   Mehta ") == "Raj Mehta"
    assert parse_turns("3,5-7, 9") == [3, 5, 6, 7, 9] and parse_turns("") is None
    with pytest.raises(InvalidInput):
        parse_turns("3-a")


def test_owners_written_as_an_alias_take_the_name_and_side():
    from assistant.people import apply_directory

    drafts = [draft("action", "Dana C.: book the venue", 2, "book the venue", owner="Dana C.")]
    people = [Person(name="Dana Cole", team=Team.marketing)]
    plain = apply_directory(drafts, people, ["Dana C."])[0]
    assert plain.owner == "Dana C." and plain.team == Team.unknown
    resolved = apply_directory(drafts, people, ["Dana Cole"], {"dana c.": "Dana Cole"})[0]
    assert (resolved.owner, resolved.text, resolved.team) == (
        "Dana Cole", "Dana Cole: book the venue", Team.marketing)  # fmt: skip


def test_a_rename_planned_before_another_change_is_planned_again(world):
    """Embedding happens outside the write lock; a change in between must not be lost."""
    liaison, a = world
    names = liaison.speaker_names
    plan = names._plan(a, "Speaker 2", "Raj Mehta", None, None, None)
    assert names._unchanged(plan)
    liaison.rename_speaker(a, "Sam Ortiz", "Sam O.", alias=False)  # meanwhile, another process
    assert not names._unchanged(plan)
    liaison.rename_speaker(a, "Speaker 2", "Raj Mehta")
    assert liaison.meeting(a).meeting.attendees == ["DANA COLE", "Raj Mehta", "Sam O."]


LATER = b"""WEBVTT

00:00:01.000 --> 00:00:04.000
DANA COLE: Morning. The venue contract is signed.

00:00:05.000 --> 00:00:09.000
Marcus Lee: Good, then I will send the launch brief by Friday.
"""


def test_a_transcript_ingested_after_an_alias_is_stored_under_the_name(world):
    liaison, a = world
    liaison.rename_speaker(a, "DANA COLE", "Dana Cole")  # keeps the alias DANA COLE
    later = liaison.ingest_bytes(LATER, "2026-10-27-sync.vtt").meeting
    assert later is not None
    assert [t.speaker for t in liaison.meeting(later.id).turns] == ["Dana Cole", "Marcus Lee"]
    assert "DANA COLE" not in later.attendees and "Dana Cole" in later.attendees
    # The same file again is still the same meeting (the hash is of what the file says).
    assert liaison.ingest_bytes(LATER, "again.vtt").duplicate_of == later.id
