"""The format is chosen by what the file contains; the extension only breaks ties.
Also: dates, titles and meeting kinds guessed from names and headers."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from assistant.ingest import (
    SUPPORTED_FORMATS,
    detect_format,
    guess_date,
    guess_kind,
    guess_title,
    parse_transcript,
)
from assistant.ingest.turns import is_speaker_name, split_speaker
from assistant.models import MeetingKind

FIXTURES = Path(__file__).parent / "fixtures" / "transcripts"


@pytest.mark.parametrize(
    ("fixture", "fmt"),
    [
        ("zoom.vtt", "vtt"),
        ("teams.vtt", "vtt"),
        ("plain.srt", "srt"),
        ("otter.txt", "text"),
        ("bracketed.txt", "text"),
        ("paren.txt", "text"),
        ("meet.txt", "text"),
        ("whisper.json", "json"),
        ("generic.json", "json"),
    ],
)
def test_detects_each_fixture_under_a_misleading_name(fixture, fmt):
    text = (FIXTURES / fixture).read_text(encoding="utf-8")
    assert detect_format(text, fixture) == fmt
    assert detect_format(text, "download.txt" if fmt != "text" else "download.srt") == fmt


def test_vtt_saved_as_txt_parses_as_vtt():
    parsed = parse_transcript((FIXTURES / "zoom.vtt").read_bytes(), "meeting.txt")
    assert parsed.format == "vtt"
    assert parsed.turns[0].speaker == "Priya Shah"


def test_json_saved_as_txt_and_srt_saved_as_vtt_without_header():
    parsed = parse_transcript((FIXTURES / "whisperx.json").read_bytes(), "notes.txt")
    assert parsed.format == "json"
    srt_bytes = (FIXTURES / "speaker.srt").read_bytes()
    # Headerless cues: the extension breaks the tie between SRT and WebVTT.
    assert parse_transcript(srt_bytes, "x.srt").format == "srt"
    assert parse_transcript(srt_bytes, "x.vtt").format == "vtt"
    assert [t.text for t in parse_transcript(srt_bytes, "x.vtt").turns] == [
        t.text for t in parse_transcript(srt_bytes, "x.srt").turns
    ]


def test_bracketed_text_is_not_mistaken_for_json():
    assert (
        detect_format("[00:00:01] Ana Ruiz: Hi.\n[00:00:03] Bo Chen: Hello.\n", "a.txt") == "text"
    )


def test_docx_detected_from_bytes_whatever_the_name():
    import io

    import docx

    document = docx.Document()
    document.add_paragraph("Ana Ruiz: Hello.")
    document.add_paragraph("Bo Chen: Hi.")
    buf = io.BytesIO()
    document.save(buf)
    assert parse_transcript(buf.getvalue(), "transcript.txt").format == "docx"


def test_supported_formats():
    assert set(SUPPORTED_FORMATS) == {"vtt", "srt", "text", "json", "docx"}


@pytest.mark.parametrize(
    ("line", "speaker"),
    [
        ("Priya Shah: hello", "Priya Shah"),
        ("Dr. Ana de la Cruz: hello", "Dr. Ana de la Cruz"),
        ("Speaker 1: hello", "Speaker 1"),
        ("SPEAKER_00: hello", "SPEAKER_00"),
        ("Note: the deck is shared", "Note"),
        ("Sam Ortiz (IT): yes", "Sam Ortiz (IT)"),
        ("Łukasz Rozmej: hi", "Łukasz Rozmej"),
        ("Ólafur Arnalds: hi", "Ólafur Arnalds"),
        ("https://example.com/page", None),
        ("10:30 works for me", None),
        ("At 10:30 we meet", None),
        ("the plan is simple: ship it", None),
        ("Okay. Recap: SSO is done", None),
        ("Prof. J. Doe: welcome", "Prof. J. Doe"),
        ("One Two Three Four Five Six: too many words", None),
    ],
)
def test_speaker_prefixes(line, speaker):
    assert split_speaker(line)[0] == speaker


def test_speaker_names_are_short():
    assert is_speaker_name("Marcus Lee")
    assert not is_speaker_name("A Very Long Name That Goes On")


@pytest.mark.parametrize(
    ("filename", "text", "expected"),
    [
        ("2026-10-06-weekly-sync.vtt", None, date(2026, 10, 6)),
        ("20261006_weekly.txt", None, date(2026, 10, 6)),
        ("sync_2026_10_13.srt", None, date(2026, 10, 13)),
        ("notes.txt", "Weekly sync\nDate: October 6, 2026\nAna: hi", date(2026, 10, 6)),
        ("notes.txt", "Date: 6 Oct 2026\nAna: hi", date(2026, 10, 6)),
        ("notes.txt", "Date: Tuesday the 6th of October 2026\nAna: hi", date(2026, 10, 6)),
        ("notes.txt", "Ana: let's meet again\nBo: sure", None),
        ("2026-13-45-x.txt", None, None),
    ],
)
def test_guess_date(filename, text, expected):
    assert guess_date(filename, text) == expected


def test_guess_date_ignores_dates_said_later_in_the_meeting():
    body = "\n".join(f"Ana: line {i}" for i in range(20)) + "\nBo: launch is October 30, 2026\n"
    assert guess_date("notes.txt", body) is None


@pytest.mark.parametrize(
    ("title", "filename", "kind"),
    [
        ("Weekly sync", "x.vtt", MeetingKind.weekly_sync),
        ("", "2026-10-06-weekly-sync.vtt", MeetingKind.weekly_sync),
        ("CIO/CMO 1:1", "a.txt", MeetingKind.monthly_1on1),
        ("", "2026-10-20-monthly-1on1.json", MeetingKind.monthly_1on1),
        ("One-on-one", "a.txt", MeetingKind.monthly_1on1),
        ("Q4 QBR", "a.docx", MeetingKind.qbr),
        ("Quarterly Business Review", "a.docx", MeetingKind.qbr),
        ("Vendor demo", "demo.vtt", MeetingKind.other),
    ],
)
def test_guess_kind(title, filename, kind):
    assert guess_kind(title, filename) == kind


@pytest.mark.parametrize(
    ("filename", "title"),
    [
        ("2026-10-06-weekly-sync.vtt", "Weekly sync"),
        ("2026-10-27-qbr.docx", "QBR"),
        ("2026-10-20-monthly-1on1.json", "Monthly 1:1"),
        ("Campaign_Review_20260914.txt", "Campaign Review"),
        ("20261006.vtt", "Untitled meeting"),
    ],
)
def test_guess_title(filename, title):
    assert guess_title(filename) == title
