"""Real export shapes (fixtures written in the same shape, not copied): who said what, when,
and on which day, without loss; and what the file lacked, said in its warnings."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from assistant.errors import UnsupportedFormat
from assistant.ingest import guess_date, guess_title, parse_transcript
from assistant.ingest.speakers import file_labels
from assistant.models import ParsedTranscript

FIXTURES = Path(__file__).parent / "fixtures" / "transcripts"


def parse_fixture(name: str) -> ParsedTranscript:
    return parse_transcript((FIXTURES / name).read_bytes(), name)


def rows(parsed: ParsedTranscript) -> list[tuple]:
    return [(t.speaker, t.text, t.start_s, t.end_s) for t in parsed.turns]


# ---------------------------------------------------------------- Zoom display names


def test_zoom_display_names_as_people_type_them_are_speakers():
    parsed = parse_fixture("zoom_display_names.vtt")
    assert [t.speaker for t in parsed.turns] == [
        "potuz",
        "lightclient",
        "potuz",
        "Greg K | Lido",
        "Danno Ferrin - Tectonic.xyz",
        "bond.credit",
        "Łukasz Rozmej",
        "vitto",
        "Marco De Rossi",  # "Audio shared by Marco De Rossi:"
        "shruthi",
        "potuz",
    ]
    # Labels left the text; a colon inside what was said did not make a speaker.
    assert parsed.turns[2].text == "First item is the consent banner. note: the deadline is Friday."
    assert parsed.turns[4].text == "Staging looks fine from our side, so: yes, ship it."
    assert not any(":" in t.text.split(" ")[0] for t in parsed.turns)


def test_colon_in_speakerless_captions_is_not_a_speaker():
    data = (
        b"WEBVTT\n\n00:00:01.000 --> 00:00:03.000\nwelcome to the webinar\n\n"
        b"00:00:03.000 --> 00:00:05.000\nnote: the deadline is friday\n\n"
        b"00:00:05.000 --> 00:00:07.000\nso: yes we ship on monday\n\n"
        b"00:00:07.000 --> 00:00:09.000\nand that is all for today\n"
    )
    parsed = parse_transcript(data, "webinar.vtt")
    assert {t.speaker for t in parsed.turns} == {None}
    assert "note: the deadline is friday" in parsed.turns[0].text


def test_a_lower_case_label_repeated_in_a_mixed_file_is_a_speaker():
    lines = ["Priya Shah: hello", "potuz: hi", "potuz: yes", "text that goes on", "more text",
             "potuz: agreed", "other words", "and more", "still more", "the end"]  # fmt: skip
    assert file_labels(lines) == {"potuz"}
    assert file_labels(["so: yes", "well: no", "note: later", "a b c"]) == set()


def test_zoom_text_file_with_lower_case_names():
    data = b"potuz: Can you hear me?\nlightclient: Yes.\npotuz: Good, let's start.\n"
    parsed = parse_transcript(data, "zoom.txt")
    assert [t.speaker for t in parsed.turns] == ["potuz", "lightclient", "potuz"]


# ---------------------------------------------------------------- captions


def test_youtube_auto_captions_store_each_word_once_without_tags():
    parsed = parse_fixture("youtube_auto.vtt")
    text = " ".join(t.text for t in parsed.turns)
    assert text == (
        "welcome back to the channel today we look at campaign budgets and how to track them okay"
    )
    assert "<" not in text
    assert parsed.turns[0].start_s == 0.0
    assert "no speaker names in this file: the turns have no speaker" in parsed.warnings


def test_classic_teams_download_with_one_unreadable_cue_is_kept():
    parsed = parse_fixture("teams_classic_bad_cue.vtt")
    assert len(parsed.turns) == 8
    assert parsed.turns[0].text == "Good morning, everyone. Let's start with the campaign calendar."
    assert "Morning." not in " ".join(t.text for t in parsed.turns)
    assert parsed.warnings == [
        "1 cue skipped at line 6 (unreadable timing '0:0:-6.-820 --> 0:0:1.300')"
    ]


def test_sixty_seconds_is_skipped_not_fatal():
    data = (
        b"WEBVTT\n\n1\n00:00:58.000 --> 00:00:60.000\nAna Ruiz: first\n\n"
        b"2\n00:01:00.000 --> 00:01:02.000\nAna Ruiz: second\n\n"
        b"3\n00:01:02.000 --> 00:01:04.000\nBo Chen: third\n"
    )
    parsed = parse_transcript(data, "x.vtt")
    assert rows(parsed) == [("Ana Ruiz", "second", 60.0, 62.0), ("Bo Chen", "third", 62.0, 64.0)]
    assert parsed.warnings[0].startswith("1 cue skipped at line 4")


# ---------------------------------------------------------------- JSON shapes


def test_whisper_with_pyannote_speaker_ids():
    parsed = parse_fixture("pyannote_whisper.json")
    assert [t.speaker for t in parsed.turns] == ["SPEAKER_00", "SPEAKER_01", "SPEAKER_00",
                                                 "Speaker 1"]  # fmt: skip
    assert (parsed.turns[0].start_s, parsed.turns[0].end_s) == (0.52, 4.1)


def test_meeting_bot_utterances_with_participants_and_milliseconds():
    parsed = parse_fixture("meeting_bot.json")
    assert parsed.title == "Campaign tooling sync"
    assert rows(parsed) == [
        ("Priya Shah", "Shall we start with the attribution dashboard?", 1.2, 4.8),
        ("Marcus Lee", "Yes. Data engineering has the first version ready.", 5.3, 9.1),
        ("Priya Shah", "Great, send me the link.", 9.6, 12.05),
    ]
    assert parsed.warnings == []


def test_youtube_transcript_api_start_and_duration():
    parsed = parse_fixture("youtube_transcript_api.json")
    assert parsed.turns[0].start_s == 0.48
    assert parsed.turns[-1].end_s == pytest.approx(10.32)
    assert parsed.warnings == ["no speaker names in this file: the turns have no speaker"]


def test_aws_transcribe_words_and_speaker_labels():
    parsed = parse_fixture("aws_transcribe.json")
    assert rows(parsed) == [
        ("Speaker 0", "Is the tag manager live?", 0.04, 1.62),
        ("Speaker 1", "Yes, since Monday.", 2.1, 3.35),
    ]


def test_deepgram_words_with_speakers():
    parsed = parse_fixture("deepgram.json")
    assert rows(parsed) == [
        ("Speaker 0", "Is the budget approved?", 0.16, 1.5),
        ("Speaker 1", "Yes, it went through on Friday.", 2.1, 3.6),
    ]


def test_deepgram_utterances_win_over_words():
    data = (
        b'{"metadata": {}, "results": {"channels": [{"alternatives": [{"transcript": "x"}]}],'
        b' "utterances": [{"start": 1.0, "end": 2.5, "transcript": "Hello there.",'
        b' "speaker": 2, "channel": 0}]}}'
    )
    assert rows(parse_transcript(data, "dg.json")) == [("Speaker 2", "Hello there.", 1.0, 2.5)]


def test_json_lines():
    parsed = parse_fixture("lines.jsonl")
    assert parsed.format == "json"
    assert [t.speaker for t in parsed.turns] == ["Dana Whitfield", "Sam Ortiz", "Dana Whitfield"]
    assert parsed.turns[1].end_s == 8.2


def test_whole_number_times_far_apart_are_milliseconds():
    data = (
        b'{"utterances": [{"speaker": "A", "text": "We start with the budget today.",'
        b' "start": 250, "end": 2000}, {"speaker": "B", "text": "Fine by me, go ahead.",'
        b' "start": 2400, "end": 4100}]}'
    )
    parsed = parse_transcript(data, "assembly.json")
    assert [(t.start_s, t.end_s) for t in parsed.turns] == [(0.25, 2.0), (2.4, 4.1)]
    assert "times read as milliseconds" in parsed.warnings[0]


def test_files_without_times_say_so():
    parsed = parse_transcript(b'[{"speaker": "Ana", "text": "Hi."}]', "t.json")
    assert parsed.warnings == ["no times in this file: results cannot point to a moment"]


# ---------------------------------------------------------------- text and Markdown


def test_gemini_markdown_with_bold_names_and_notes_before_the_transcript():
    parsed = parse_fixture("gemini_notes.md")
    assert parsed.format == "text"
    assert parsed.title == "Loyalty programme steering call"
    assert parsed.date == date(2026, 11, 21)
    assert rows(parsed) == [
        ("Ana Ruiz", "Good morning. Let's start with the budget.", 0.0, None),
        ("Bo Chen", "The budget is approved for the first half.", None, None),
        ("Dana Whitfield", "Then the vendor list is next. Bo, can you send it by Friday?",
         72.0, None),
        ("Bo Chen", "Yes, by Friday.", None, None),
    ]  # fmt: skip


def test_markdown_heading_title_with_date_and_clock():
    data = (
        b"# Polygon Protocol Governance Call - 2024/11/21 15:51 GMT\n\n"
        b"**Ana Ruiz:** Welcome, everyone.\n**Bo Chen**: Thanks.\n"
    )
    parsed = parse_transcript(data, "notes.md")
    assert parsed.title == "Polygon Protocol Governance Call"
    assert parsed.date == date(2024, 11, 21)
    assert [(t.speaker, t.text) for t in parsed.turns] == [
        ("Ana Ruiz", "Welcome, everyone."),
        ("Bo Chen", "Thanks."),
    ]


def test_clock_then_text_lines_without_names():
    parsed = parse_fixture("clocked.txt")
    assert parsed.format == "text"
    assert rows(parsed) == [
        (None, "so the first thing is the launch date we moved it to the twelfth because the "
         "creative is late.", 1.0, 15.0),
        (None, "next the budget for paid search", 15.0, None),
    ]  # fmt: skip


def test_copied_youtube_transcript_clock_lines_then_text():
    parsed = parse_fixture("youtube_copy.txt")
    assert " ".join(t.text for t in parsed.turns) == (
        "welcome back to the channel today we look at campaign budgets and how to track them "
        "first the planning sheet"
    )
    assert parsed.turns[0].start_s == 0.0


def test_zoom_chat_export_is_refused_as_a_chat_log():
    with pytest.raises(UnsupportedFormat) as info:
        parse_fixture("zoom_chat.txt")
    assert "chat log" in str(info.value)


def test_zoom_saved_transcript_text_with_bracketed_names():
    data = b"[potuz] 00:00:04\nCan you hear me?\n\n[Greg K | Lido] 00:00:09\nYes.\n"
    parsed = parse_transcript(data, "saved.txt")
    assert rows(parsed)[0][:3] == ("potuz", "Can you hear me?", 4.0)
    assert parsed.turns[1].speaker == "Greg K | Lido"


# ---------------------------------------------------------------- unspaced scripts


def test_chinese_zoom_captions_keep_speakers_and_text():
    parsed = parse_fixture("zoom_chinese.vtt")
    assert [t.speaker for t in parsed.turns] == ["王小明", "李华", "王小明", "李华"]
    assert parsed.turns[1].text == "客户数据平台的供应商已经选好了，下周签合同。"


def test_japanese_text_with_full_width_colons():
    parsed = parse_fixture("japanese.txt")
    assert [t.speaker for t in parsed.turns] == ["佐藤", "鈴木", "佐藤", "鈴木"]
    assert parsed.turns[2].text.startswith("はい、購入金額")


# ---------------------------------------------------------------- dates and titles


def test_date_and_title_from_a_numbered_file_name():
    name = "one-off-1971_2026-03-17_transcript.vtt"
    assert guess_date(name, None) == date(2026, 3, 17)
    assert guess_title(name) == "One off 1971"
    parsed = parse_transcript((FIXTURES / "zoom.vtt").read_bytes(), name)
    assert (parsed.date, parsed.title) == (date(2026, 3, 17), "One off 1971")


def test_date_announced_in_the_opening_words():
    data = (
        b"WEBVTT\n\n00:00:01.000 --> 00:00:06.000\nAna Ruiz: Good morning, today is Monday, "
        b"December 9, 2024, and this is the weekly sync.\n\n00:00:06.500 --> 00:00:09.000\n"
        b"Bo Chen: The launch moves to Friday, March 5, 2027.\n"
    )
    assert parse_transcript(data, "sync.vtt").date == date(2024, 12, 9)


def test_a_date_with_the_wrong_weekday_is_not_the_meeting_date():
    data = b"Ana Ruiz: The launch is Tuesday, December 9, 2024.\nBo Chen: Fine.\n"
    assert parse_transcript(data, "notes.txt").date is None
