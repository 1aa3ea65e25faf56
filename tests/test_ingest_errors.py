"""A bad upload fails with a named error that says which file and, where it applies, which line."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.errors import (
    BinaryFile,
    EmptyTranscript,
    IngestError,
    MalformedTranscript,
    UndecodableText,
    UnsupportedFormat,
)
from assistant.ingest import parse_transcript

FIXTURES = Path(__file__).parent / "fixtures" / "transcripts"


def fail(name: str, data: bytes | None = None) -> IngestError:
    payload = (FIXTURES / name).read_bytes() if data is None else data
    with pytest.raises(IngestError) as info:
        parse_transcript(payload, name)
    return info.value


def test_empty_file():
    err = fail("empty.txt")
    assert isinstance(err, EmptyTranscript)
    assert str(err) == "empty.txt: the file is empty"
    assert isinstance(fail("blank.vtt", b"  \r\n\n"), EmptyTranscript)


def test_header_only_vtt_has_no_speech():
    err = fail("header.vtt", b"WEBVTT\n\nNOTE nothing said\n")
    assert isinstance(err, EmptyTranscript)
    assert "no speech" in str(err)


def test_binary_file():
    err = fail("binary.bin")
    assert isinstance(err, BinaryFile)
    assert err.source == "binary.bin"


def test_zip_that_is_not_a_word_document_is_binary():
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
    assert isinstance(fail("sheet.xlsx", buf.getvalue()), BinaryFile)


def test_undecodable_text_names_the_line():
    # 0x81 is undefined in cp1252 and invalid as UTF-8.
    err = fail("odd.txt", b"Ana: hi\nBo: ok\nAna: \x81\x81 weird\n")
    assert isinstance(err, UndecodableText)
    assert err.line == 3
    assert "odd.txt, line 3" in str(err)


def test_mostly_broken_timestamps_refuse_the_file_at_the_first_bad_line():
    # 2 readable cues, 3 unreadable: not a meeting we can trust, refused at the first.
    err = fail("broken_timestamp.vtt")
    assert isinstance(err, MalformedTranscript)
    assert (err.source, err.line) == ("broken_timestamp.vtt", 12)
    assert str(err) == (
        "broken_timestamp.vtt, line 12: broken timestamp '00:01:xx.000 --> 00:01:05.000'"
    )


def test_end_far_before_start_is_clamped_and_reported():
    parsed = parse_transcript((FIXTURES / "backwards.srt").read_bytes(), "backwards.srt")
    assert [(t.text, t.start_s, t.end_s) for t in parsed.turns][1] == (
        "Ends fifteen seconds before it starts.",
        20.0,
        20.0,
    )
    assert parsed.warnings[0] == "1 cue ends before it starts at line 6 (end set to the start)"


@pytest.mark.parametrize(
    ("data", "warning"),
    [
        (
            b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nA: ok\n\n00:00:61.000 --> 00:01:02.000\nB\n",
            "1 cue skipped at line 6 (unreadable timing '00:00:61.000 --> 00:01:02.000')",
        ),
        (
            b"1\n00:00:01,000 --> 00:00:02,000\nA: ok\n\n2\n00:00:02,000 -> 00:00:03,000\nB\n",
            "1 cue skipped at line 6 (unreadable timing '00:00:02,000 -> 00:00:03,000')",
        ),
        (
            b"[00:00:01] Ana: ok\n[00:0x:02] Bo: no\n",
            "1 time unreadable at line 2 ('00:0x:02': the words are kept without it)",
        ),
    ],
)
def test_one_broken_timing_is_skipped_with_a_warning(data, warning):
    name = "f.vtt" if data.startswith(b"WEBVTT") else "f.txt"
    parsed = parse_transcript(data, name)
    assert parsed.turns[0].text == "ok"
    assert warning in parsed.warnings


def test_missing_blank_line_between_cues_starts_the_next_cue():
    data = (
        b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nAna: ok\n"
        b"00:00:02.000 --> 00:00:03.000\nBo: yes\n"
    )
    parsed = parse_transcript(data, "f.vtt")
    assert [(t.speaker, t.text, t.start_s) for t in parsed.turns] == [
        ("Ana", "ok", 1.0),
        ("Bo", "yes", 2.0),
    ]


def test_json_wrong_types_name_the_item():
    err = fail("wrong_types.json")
    assert isinstance(err, MalformedTranscript)
    assert "item[2]" in str(err)
    assert "'text' must be a string, got number" in str(err)
    bad_start = fail("s.json", b'{"segments": [{"text": "hi", "start": true, "end": 1}]}')
    assert "segments[0]: 'start' must be a number of seconds" in str(bad_start)
    bad_speaker = fail("s.json", b'[{"text": "hi", "speaker": ["A"]}]')
    assert "item[0]: 'speaker' must be a string, got list" in str(bad_speaker)
    bad_list = fail("s.json", b'{"segments": {"text": "hi"}}')
    assert "'segments' must be a list" in str(bad_list)


def test_invalid_json_names_the_line():
    err = fail("t.json", b'{\n  "segments": [\n    {"text": "hi",}\n  ]\n}\n')
    assert isinstance(err, MalformedTranscript)
    assert err.line == 3
    assert "invalid JSON" in str(err)


def test_json_that_is_not_a_transcript():
    err = fail("config.json", b'{"name": "liaison", "version": 2}')
    assert isinstance(err, UnsupportedFormat)
    assert "segments" in str(err)


def test_unknown_format_lists_supported_formats():
    err = fail("unknown.csv")
    assert isinstance(err, UnsupportedFormat)
    assert err.source == "unknown.csv"
    for name in ("WebVTT", "SubRip", "plain text", "JSON", ".docx"):
        assert name in str(err)


def test_prose_without_speakers_is_unsupported():
    prose = b"We met on Monday and talked about the budget.\nIt went well overall.\n"
    assert isinstance(fail("notes.txt", prose), UnsupportedFormat)


def test_corrupt_docx():
    # A zip that claims to hold a Word document but whose XML is garbage.
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("word/document.xml", "not xml")
    err = fail("broken.docx", buf.getvalue())
    assert isinstance(err, MalformedTranscript)
    assert err.source == "broken.docx"
