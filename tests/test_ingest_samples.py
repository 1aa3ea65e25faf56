"""The sample meetings shipped for the demo parse, each in its own format, with usable metadata."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from assistant.ingest import guess_kind, parse_transcript
from assistant.models import Goal, MeetingKind

SAMPLES = Path(__file__).resolve().parent.parent / "assistant" / "data" / "samples"
EXPECTED = {
    "2026-10-06-weekly-sync.vtt": ("vtt", date(2026, 10, 6), MeetingKind.weekly_sync),
    "2026-10-13-weekly-sync.txt": ("text", date(2026, 10, 13), MeetingKind.weekly_sync),
    "2026-10-20-monthly-1on1.json": ("json", date(2026, 10, 20), MeetingKind.monthly_1on1),
    "2026-10-27-qbr.docx": ("docx", date(2026, 10, 27), MeetingKind.qbr),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sample_parses_with_speakers_times_and_metadata(name):
    fmt, when, kind = EXPECTED[name]
    parsed = parse_transcript((SAMPLES / name).read_bytes(), name)
    assert parsed.format == fmt
    assert parsed.date == when
    assert parsed.title
    assert guess_kind(parsed.title, name) == kind
    assert len({t.speaker for t in parsed.turns}) >= 4
    assert None not in {t.speaker for t in parsed.turns}
    assert all(t.start_s is not None for t in parsed.turns)
    assert [t.index for t in parsed.turns] == list(range(len(parsed.turns)))
    starts = [t.start_s for t in parsed.turns]
    assert starts == sorted(starts)
    words = sum(len(t.text.split()) for t in parsed.turns)
    assert 500 <= words <= 1300


def test_zoom_sample_cues_merge_back_into_whole_turns():
    name = "2026-10-06-weekly-sync.vtt"
    parsed = parse_transcript((SAMPLES / name).read_bytes(), name)
    texts = [t.text for t in parsed.turns]
    # Zoom cut this sentence over several cues; the turn has it whole and verbatim.
    assert any("Sam, can you set up the SSO integration for HubSpot by Friday?" in t for t in texts)
    assert any("We'll go with Segment as the CDP." in t for t in texts)
    assert all(len(t.split()) <= 400 for t in texts)


def test_samples_carry_the_storyline():
    def said(name: str) -> str:
        parsed = parse_transcript((SAMPLES / name).read_bytes(), name)
        return " ".join(t.text for t in parsed.turns)

    assert "The SSO integration for HubSpot is finished" in said("2026-10-13-weekly-sync.txt")
    assert "Instead of Segment we'll go with mParticle after all" in said(
        "2026-10-13-weekly-sync.txt"
    )
    assert "position-based attribution model" in said("2026-10-20-monthly-1on1.json")
    assert "at risk" in said("2026-10-27-qbr.docx")


def test_goals_file_matches_the_goal_model():
    data = yaml.safe_load((SAMPLES / "goals.yaml").read_text(encoding="utf-8"))
    goals = [Goal.model_validate(g) for g in data["goals"]]
    assert [g.id for g in goals] == [
        "cdp-live",
        "mql-sql-conversion",
        "campaign-launch-time",
        "page-latency-sla",
    ]
    assert all(g.kpis and g.milestones for g in goals)
    assert any(not m.done for g in goals for m in g.milestones)
