"""Each transcript format parses into the speakers, texts and times a user would read in it."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import docx
import pytest

from assistant.ingest import parse_transcript
from assistant.ingest.turns import Cue, build_turns
from assistant.models import ParsedTranscript

FIXTURES = Path(__file__).parent / "fixtures" / "transcripts"


def parse_fixture(name: str) -> ParsedTranscript:
    return parse_transcript((FIXTURES / name).read_bytes(), name)


def rows(parsed: ParsedTranscript) -> list[tuple]:
    return [(t.speaker, t.text, t.start_s, t.end_s) for t in parsed.turns]


def make_docx(paragraphs: list[str], title: str | None = None) -> bytes:
    """A Word file laid out like a Teams transcript download."""
    document = docx.Document()
    if title:
        document.core_properties.title = title
    for text in paragraphs:
        document.add_paragraph(text)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def test_zoom_vtt_merges_cues_of_one_speaker():
    parsed = parse_fixture("zoom.vtt")
    assert parsed.format == "vtt"
    assert rows(parsed) == [
        (
            "Priya Shah",
            "Morning everyone, can you all hear me? Great. First item is the consent banner "
            "on the pricing page.",
            1.0,
            9.2,
        ),
        ("Sam Ortiz", "Yes, the new banner went live on Tuesday & it logs consent to the CDP.",
         10.0, 14.75),
        ("Dana Whitfield", "Good. Any issues with the ETL job?", 15.0, 18.0),
        ("Sam Ortiz", "None so far. The nightly run finished in twelve minutes.", 18.4, 23.0),
    ]  # fmt: skip
    assert [t.index for t in parsed.turns] == [0, 1, 2, 3]


def test_teams_vtt_voice_tags_settings_and_gap():
    parsed = parse_fixture("teams.vtt")
    assert [t.speaker for t in parsed.turns] == [
        "Priya Shah",
        "Marcus Lee",
        "Dana Whitfield",
        "Dana Whitfield",  # 40 s of silence: not merged into the previous turn
    ]
    assert parsed.turns[0].text == (
        "Let's start with the campaign calendar. We have three launches in November."
    )
    assert (parsed.turns[0].start_s, parsed.turns[0].end_s) == (2.12, 9.0)
    # Multi-line cue, cue settings after the timing, unclosed <v> tag.
    assert parsed.turns[1].text == "And the landing pages need the new SSO login, right?"
    assert parsed.turns[2].text == "Right. IT will have it ready by the fifteenth."


def test_vtt_without_speakers_skips_note_style_region_and_markup():
    parsed = parse_fixture("captions.vtt")
    assert parsed.title == "Product webinar"
    assert rows(parsed) == [
        (None, "welcome to the quarterly product webinar.", 1.0, 6.0),  # fragments glued
        (None, "Today we cover pricing.", 6.5, 9.0),
    ]


def test_vtt_two_voices_in_one_cue():
    data = b"WEBVTT\n\n00:00:01.000 --> 00:00:03.000\n<v Ana>Ready?</v> <v Bo>Yes.</v>\n"
    parsed = parse_transcript(data, "x.vtt")
    assert [(t.speaker, t.text) for t in parsed.turns] == [("Ana", "Ready?"), ("Bo", "Yes.")]


def test_srt_plain_and_with_speakers():
    plain = parse_fixture("plain.srt")
    assert plain.format == "srt"
    assert rows(plain) == [
        (None, "Welcome back to the channel.", 1.0, 3.5),
        (None, "Today we look at campaign metrics and how ROAS is calculated.", 3.6, 8.25),
    ]
    spoken = parse_fixture("speaker.srt")
    assert [(t.speaker, t.text) for t in spoken.turns] == [
        ("Marcus Lee", "The Q4 campaign needs a landing page by the twentieth."),
        ("Dana Whitfield", "We can do it if the copy lands by the tenth."),
        ("Marcus Lee", "Deal. I'll ask the content team today."),  # unlabelled cue continues
    ]
    assert spoken.turns[2].end_s == 13.0


def test_otter_blocks():
    parsed = parse_fixture("otter.txt")
    assert parsed.format == "text"
    assert [t.speaker for t in parsed.turns] == [
        "Priya Shah",
        "Sam Ortiz",
        "Priya Shah",
        "Unknown Speaker",
    ]
    assert parsed.turns[0].text == (
        "Good morning. Quick update on the lead scoring model: we retrained it on last "
        "quarter's data."
    )
    assert [t.start_s for t in parsed.turns] == [3.0, 21.0, 25.0, 3723.0]
    assert parsed.turns[0].end_s == 21.0  # ends when the next speaker starts
    assert parsed.turns[2].text.endswith("Note: the scores are stored in HubSpot now.")
    assert parsed.turns[2].end_s is None  # an hour of silence is not talking time


def test_bracketed_text_with_continuation_and_gap():
    parsed = parse_fixture("bracketed.txt")
    assert rows(parsed)[:3] == [
        ("Dana Whitfield", "Let's review the SLA numbers.", 5.0, 12.0),
        ("Marcus Lee",
         "Page latency was 1.8 seconds at p95 last week. That's above the 1.5 second target.",
         12.0, 31.0),
        ("Dana Whitfield", "The CDN change ships Thursday. After that we should be under target.",
         31.0, None),
    ]  # fmt: skip
    assert parsed.turns[3].start_s == 150.0  # 2 minutes later: a new turn


def test_paren_text_with_text_on_next_line():
    parsed = parse_fixture("paren.txt")
    assert [(t.speaker, t.text, t.start_s) for t in parsed.turns] == [
        ("Marcus Lee", "Who owns the attribution dashboard?", 2.0),
        ("Sam Ortiz", "Data engineering builds it, marketing ops owns the definitions.", 7.0),
        ("Marcus Lee", "So Priya signs off on the metrics?", 15.0),
        ("Priya Shah", "Yes, I do.", 19.0),
    ]


def test_meet_text_header_clock_lines_and_urls():
    parsed = parse_fixture("meet.txt")
    assert parsed.title == "Campaign review"
    assert parsed.date == date(2026, 9, 14)
    assert [t.speaker for t in parsed.turns] == [
        "Marcus Lee",
        "Priya Shah",
        "Sam Ortiz",
        "Priya Shah",
        "Marcus Lee",
    ]
    assert "https://example.com/launch" in parsed.turns[2].text  # a URL is not a speaker
    assert parsed.turns[0].start_s == 0.0
    assert parsed.turns[4].start_s == 300.0
    assert parsed.turns[4].text == "Next, the agency contract."  # trailer line dropped


def test_whisper_json_segments():
    parsed = parse_fixture("whisper.json")
    assert parsed.format == "json"
    assert rows(parsed) == [
        (None, "Welcome to the weekly sync.", 0.0, 2.4),
        (None, "Let's talk budget.", 2.4, 4.0),
        (None, "Marketing needs more for paid search.", 4.2, 9.5),
    ]


def test_whisperx_json_speakers_merge():
    parsed = parse_fixture("whisperx.json")
    assert rows(parsed) == [
        ("SPEAKER_00", "So the CDP shortlist is down to two vendors. Segment and mParticle.",
         0.031, 5.0),
        ("SPEAKER_01", "What does legal say about consent?", 5.6, 9.1),
        ("SPEAKER_00", "They want a data processing agreement first.", 9.5, 12.0),
    ]  # fmt: skip


def test_generic_json_with_title_date_missing_times_and_empty_turn():
    parsed = parse_fixture("generic.json")
    assert parsed.title == "Budget check-in"
    assert parsed.date == date(2026, 9, 30)
    assert rows(parsed) == [
        ("Dana Whitfield", "Marketing's cloud spend is up twelve percent.", 1.5, 5.0),
        ("Marcus Lee", "That's the new analytics workspace.", 5.2, 7.4),
        ("Dana Whitfield", "Then let's move it to the shared account.", None, None),
    ]


@pytest.mark.parametrize("key", ["utterances", "turns"])
def test_generic_json_list_keys_and_bare_list(key):
    items = '[{"speaker": "A B", "content": "Hi.", "start": "00:00:01.5", "end": 2}]'
    wrapped = parse_transcript(f'{{"{key}": {items}}}'.encode(), "m.json")
    bare = parse_transcript(items.encode(), "m.json")
    assert rows(wrapped) == rows(bare) == [("A B", "Hi.", 1.5, 2.0)]


def test_teams_docx_classic_layout():
    data = make_docx(
        [
            "Weekly sync - Transcript",
            "0:0:0.0 --> 0:0:3.1",
            "Priya Shah",
            "Good morning.",
            "0:0:3.1 --> 0:0:7.5",
            "Priya Shah",
            "Shall we start with the CDP?",
            "0:0:8.0 --> 0:0:12.25",
            "Sam Ortiz",
            "Yes. The vendor demo was on Monday.",
        ]
    )
    parsed = parse_transcript(data, "2026-10-06 sync.docx")
    assert parsed.format == "docx"
    assert parsed.title == "Weekly sync"
    assert parsed.date == date(2026, 10, 6)
    assert rows(parsed) == [
        ("Priya Shah", "Good morning. Shall we start with the CDP?", 0.0, 7.5),
        ("Sam Ortiz", "Yes. The vendor demo was on Monday.", 8.0, 12.25),
    ]


def test_teams_docx_current_layout_and_name_text_fallback():
    current = make_docx(
        [
            "QBR Q4",
            "October 27, 2026, 3:00PM",
            "52m 10s",
            "Dana Whitfield started transcription",
            "Dana Whitfield   0:03",
            "Welcome to the QBR.",
            "Marcus Lee   0:10",
            "Thanks, Dana.",
        ],
        title="Quarterly business review",
    )
    parsed = parse_transcript(current, "export.docx")
    assert parsed.title == "Quarterly business review"  # the document property wins
    assert parsed.date == date(2026, 10, 27)
    assert rows(parsed) == [
        ("Dana Whitfield", "Welcome to the QBR.", 3.0, 10.0),
        ("Marcus Lee", "Thanks, Dana.", 10.0, None),
    ]
    fallback = parse_transcript(make_docx(["Ana Ruiz: Hello.", "Bo Chen: Hi."]), "n.docx")
    assert rows(fallback) == [("Ana Ruiz", "Hello.", None, None), ("Bo Chen", "Hi.", None, None)]


def test_merge_limits_words_and_keeps_earliest_start_latest_end():
    long = " ".join(["word"] * 250)
    turns = build_turns(
        [
            Cue(long, "A", 0.0, 60.0),
            Cue(long, "A", 60.5, 120.0),  # would pass 400 words: new turn
            Cue("tail.", "A", 119.0, 125.0),
        ]
    )
    assert [len(t.text.split()) for t in turns] == [250, 251]
    assert (turns[1].start_s, turns[1].end_s) == (60.5, 125.0)


def test_encodings_cp1252_and_bom():
    cp = parse_fixture("cp1252.txt")
    assert cp.turns[0].speaker == "Renée Dubois"
    assert cp.turns[0].text == "We’ll need the café photos for the campaign."
    bom = parse_fixture("bom.vtt")
    assert bom.format == "vtt"
    assert bom.turns[0].speaker == "Renée Dubois"
    assert bom.turns[0].text == "Bonjour — shall we start?"


def test_utf16_with_bom_is_text_not_binary():
    data = "\ufeffMarcus Lee: Hello.\nDana Whitfield: Hi.\n".encode("utf-16-le")
    parsed = parse_transcript(data, "w.txt")
    assert [t.speaker for t in parsed.turns] == ["Marcus Lee", "Dana Whitfield"]


def test_clock_stamped_text_treats_word_colon_lines_as_text():
    otter = b"Ana Ruiz  0:01\nHello.\nRecap: we ship Friday.\n\nBo Chen  0:09\nAgenda: one item.\n"
    parsed = parse_transcript(otter, "o.txt")
    assert [(t.speaker, t.text) for t in parsed.turns] == [
        ("Ana Ruiz", "Hello. Recap: we ship Friday."),
        ("Bo Chen", "Agenda: one item."),
    ]


def test_utf8_with_a_stray_byte_keeps_its_accents():
    # One bad byte must not make the whole file read as cp1252 ("café" as "cafÃ©").
    data = "Renée Dubois: the café photos are in.\nBo Chen: Merci, Renée.\n".encode()
    data = data.replace(b"photos", b"photos \xff")
    parsed = parse_transcript(data, "stray.txt")
    assert [t.speaker for t in parsed.turns] == ["Renée Dubois", "Bo Chen"]
    assert parsed.turns[0].text.startswith("the café photos")
