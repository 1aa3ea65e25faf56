"""The core pipeline through `Liaison`: ingest, duplicates, bad files, search, delete, reindex."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.embed import HashingEmbedder
from assistant.errors import InvalidInput, MeetingNotFound
from assistant.models import MeetingKind, SearchFilters
from assistant.service import Liaison
from tests.conftest import FIXTURES

T = FIXTURES / "transcripts"


def test_ingest_stores_meeting_turns_and_makes_it_searchable(liaison):
    outcome = liaison.ingest_path(T / "zoom.vtt", day=date(2026, 10, 6))
    assert outcome.ok and outcome.meeting is not None
    m = outcome.meeting
    assert m.date == date(2026, 10, 6)
    assert m.turn_count > 0 and m.attendees
    detail = liaison.meeting(m.id)
    assert [t.index for t in detail.turns] == list(range(m.turn_count))
    word = detail.turns[0].text.split()[-1].strip(".,?!")
    hits = liaison.search(word, k=3)
    assert hits and hits[0].meeting_id == m.id
    assert hits[0].turn_start <= hits[0].turn_end


def test_same_transcript_twice_is_stored_once(liaison):
    first = liaison.ingest_path(T / "zoom.vtt")
    second = liaison.ingest_path(T / "zoom.vtt")
    assert second.duplicate_of == first.meeting.id
    assert liaison.meetings()[1] == 1


@pytest.mark.parametrize(
    "name, words",
    [
        ("empty.txt", "empty"),
        ("binary.bin", "binary"),
        ("broken_timestamp.vtt", "line"),
        ("unknown.csv", "format"),
    ],
)
def test_bad_file_reports_and_stores_nothing(liaison, name, words):
    outcome = liaison.ingest_path(T / name)
    assert not outcome.ok
    assert name in outcome.error and words in outcome.error.lower()
    assert liaison.meetings()[1] == 0
    assert liaison.stats()["chunks"] == 0


def test_other_files_of_an_upload_still_go_in(liaison):
    results = [liaison.ingest_path(T / n) for n in ("empty.txt", "teams.vtt", "binary.bin")]
    assert [r.ok for r in results] == [False, True, False]
    assert liaison.meetings()[1] == 1


def test_crash_mid_ingest_leaves_nothing_half_written(settings, monkeypatch):
    class Exploding:
        name = "exploding"

        def extract(self, meeting, turns, goals):
            raise RuntimeError("power cut")

    service = Liaison(settings, embedder=HashingEmbedder(), extractor=Exploding())
    ok = Liaison(settings, embedder=HashingEmbedder(), extractor=None)
    ok._extractor = type(
        "Empty",
        (),
        {
            "name": "e",
            "extract": lambda *a: __import__(
                "assistant.models", fromlist=["ExtractionResult"]
            ).ExtractionResult(items=[], extractor="e"),
        },
    )()
    ok.ingest_path(T / "teams.vtt")
    with pytest.raises(RuntimeError):
        service.ingest_path(T / "zoom.vtt")
    assert service.meetings()[1] == 1
    conn = service.db.connect()
    assert (
        conn.execute(
            "SELECT COUNT(*) FROM turns WHERE meeting_id NOT IN (SELECT id FROM meetings)"
        ).fetchone()[0]
        == 0
    )
    assert service.stats()["chunks"] == len(service.index())


def test_metadata_from_arguments_and_file_name(liaison, tmp_path):
    path = tmp_path / "2026-10-27-qbr.vtt"
    path.write_bytes((T / "zoom.vtt").read_bytes())
    m = liaison.ingest_path(path).meeting
    assert m.date == date(2026, 10, 27) and m.kind == MeetingKind.qbr
    other = tmp_path / "notes.vtt"
    other.write_bytes((T / "teams.vtt").read_bytes())
    m2 = liaison.ingest_path(
        other, title="Budget", kind=MeetingKind.monthly_1on1, day=date(2026, 1, 2)
    ).meeting
    assert (m2.title, m2.kind, m2.date) == ("Budget", MeetingKind.monthly_1on1, date(2026, 1, 2))


def test_filters_and_delete_remove_everywhere(liaison):
    a = liaison.ingest_path(T / "zoom.vtt", day=date(2026, 10, 6)).meeting
    b = liaison.ingest_path(T / "teams.vtt", day=date(2026, 10, 20), kind=MeetingKind.qbr).meeting
    assert {h.meeting_id for h in liaison.search("the", SearchFilters(meeting_id=a.id), k=50)} <= {
        a.id
    }
    assert {
        h.meeting_id for h in liaison.search("the", SearchFilters(since=date(2026, 10, 10)), k=50)
    } <= {b.id}
    assert {
        h.meeting_id for h in liaison.search("the", SearchFilters(kind=MeetingKind.qbr), k=50)
    } <= {b.id}
    speaker = a.attendees[0]
    for hit in liaison.search("the", SearchFilters(speaker=speaker), k=50):
        assert speaker in hit.speakers

    liaison.delete_meeting(a.id)
    with pytest.raises(MeetingNotFound):
        liaison.meeting(a.id)
    assert all(h.meeting_id == b.id for h in liaison.search("the", k=50))
    conn = liaison.db.connect()
    assert (
        conn.execute("SELECT COUNT(*) FROM chunks WHERE meeting_id = ?", (a.id,)).fetchone()[0] == 0
    )
    fts = conn.execute("SELECT COUNT(*) FROM chunks_fts").fetchone()[0]
    assert fts == liaison.stats()["chunks"] == len(liaison.index())


def test_second_process_sees_changes_and_index_is_rebuilt_when_missing(settings, extractor):
    one = Liaison(settings, embedder=HashingEmbedder(), extractor=extractor)
    two = Liaison(settings, embedder=HashingEmbedder(), extractor=extractor)
    m = one.ingest_path(T / "zoom.vtt").meeting
    assert two.search("budget OR the", k=1)[0].meeting_id == m.id  # reloads the saved index
    settings.index_path.unlink()
    settings.index_path.with_suffix(".json").unlink()
    three = Liaison(settings, embedder=HashingEmbedder(), extractor=extractor)
    assert three.reindex() == one.stats()["chunks"]


def test_model_change_forces_reembed(settings, extractor):
    Liaison(settings, embedder=HashingEmbedder(dim=256), extractor=extractor).ingest_path(
        T / "zoom.vtt"
    )

    class Other(HashingEmbedder):
        name = "other-model"

    other = Liaison(settings, embedder=Other(dim=64), extractor=extractor)
    assert other.search("the", k=1)  # vectors of the old model are not mixed in: re-embedded
    models = {r[0] for r in other.db.connect().execute("SELECT DISTINCT model FROM chunks")}
    assert models == {"other-model"}


def test_empty_query_is_refused(liaison):
    with pytest.raises(InvalidInput):
        liaison.search("   ")


def test_reversed_date_range_is_reported(liaison):
    reversed_range = SearchFilters(since=date(2026, 10, 20), until=date(2026, 10, 1))
    with pytest.raises(InvalidInput, match="after"):
        liaison.search("budget", reversed_range)
    with pytest.raises(InvalidInput, match="after"):
        liaison.meetings(reversed_range)
