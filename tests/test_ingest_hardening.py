"""Input the parsers were not written for: zip bombs, pathological lines, broken numbers and
JSON, oversized transcripts. Each fails as one clear per-file error (or is read with a
warning), fast and in bounded memory; never as another exception."""

from __future__ import annotations

import io
import json
import time
import tracemalloc
import zipfile

import pytest

from assistant.errors import IngestError, MalformedTranscript, TranscriptTooLarge
from assistant.ingest import parse_transcript
from assistant.ingest.limits import MAX_LINE_CHARS, MAX_TURNS, MAX_WORDS, check_chunks


def timed(data: bytes, name: str):
    start = time.perf_counter()
    try:
        result: object = parse_transcript(data, name)
    except IngestError as err:
        result = err
    return result, time.perf_counter() - start


# ---------------------------------------------------------------- .docx zip bomb


def test_docx_that_inflates_to_hundreds_of_megabytes_is_refused_without_inflating():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", b"<w:document>" + b" " * 60_000_000)
    data = buf.getvalue()
    assert len(data) < 1_000_000  # a small upload
    tracemalloc.start()
    try:
        with pytest.raises(TranscriptTooLarge) as info:
            parse_transcript(data, "bomb.docx")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20_000_000
    assert "bomb.docx" in str(info.value) and "inflates to 60 MB" in str(info.value)


# ---------------------------------------------------------------- linear time on long lines


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("lt.vtt", b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nAna: " + b"<" * 300_000 + b"\n"),
        ("voice.vtt", b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n" + b"<v " * 100_000 + b"\n"),
        ("lt.srt", b"1\n00:00:01,000 --> 00:00:02,000\n" + b"<" * 300_000 + b"\n"),
        ("lt.txt", b"Ana Ruiz: hi\nBo Chen: " + b"<" * 300_000 + b"\n"),
        ("sp.txt", b"Ana Ruiz: hi\nBo Chen: a" + b" " * 300_000 + b"0:01\n"),
        ("md.md", b"# " + (b"#" * 1000 + b"a") * 290 + b"\nAna Ruiz: hi\nBo Chen: yes\n"),
    ],
)
def test_300_kb_of_markup_parses_in_well_under_a_second(name, data):
    result, seconds = timed(data, name)
    assert seconds < 1.0, f"{name} took {seconds:.2f}s"
    assert not isinstance(result, IngestError) or "internal" not in str(result)


def test_a_line_over_the_limit_is_refused_naming_it():
    data = b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n" + b"a" * (MAX_LINE_CHARS + 1) + b"\n"
    result, seconds = timed(data, "long.vtt")
    assert isinstance(result, TranscriptTooLarge)
    assert result.line == 4 and "characters long" in str(result)
    assert seconds < 2.0


# ---------------------------------------------------------------- bounded cost per transcript


def test_too_many_turns_is_refused():
    lines = [f"{'Ana Ruiz' if i % 2 else 'Bo Chen'}: ok {i}" for i in range(MAX_TURNS + 1)]
    with pytest.raises(TranscriptTooLarge) as info:
        parse_transcript("\n".join(lines).encode(), "many.txt")
    assert f"{MAX_TURNS:,}" in str(info.value)


def test_too_many_words_is_refused():
    turn = " ".join(["word"] * 399)
    lines = [f"{'Ana Ruiz' if i % 2 else 'Bo Chen'}: {turn}" for i in range(MAX_WORDS // 399 + 2)]
    with pytest.raises(TranscriptTooLarge) as info:
        parse_transcript("\n".join(lines).encode(), "long.txt")
    assert "words" in str(info.value)


def _docx_with_paragraphs(texts: list[str]) -> bytes:
    """A Word file with these paragraphs (written as XML: python-docx takes ~30 s for 20,000)."""
    import docx

    template = io.BytesIO()
    docx.Document().save(template)
    body = "".join(f"<w:p><w:r><w:t>{t}</w:t></w:r></w:p>" for t in texts)
    out = io.BytesIO()
    with zipfile.ZipFile(template) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in src.namelist():
            part = src.read(name)
            if name == "word/document.xml":
                part = part.replace(b"<w:body>", b"<w:body>" + body.encode(), 1)
            dst.writestr(name, part)
    return out.getvalue()


def test_docx_of_twenty_thousand_paragraphs_is_refused_quickly():
    data = _docx_with_paragraphs(
        [f"{'Ana Ruiz' if i % 2 else 'Bo Chen'}: ok" for i in range(20_000)]
    )
    assert len(data) < 60_000
    result, seconds = timed(data, "paragraphs.docx")
    assert isinstance(result, TranscriptTooLarge) and "20,000 turns" in str(result)
    assert seconds < 3.0


def test_chunk_limit():
    check_chunks(10)
    with pytest.raises(TranscriptTooLarge):
        check_chunks(1_000_000)


# ---------------------------------------------------------------- numbers and JSON


@pytest.mark.parametrize("value", ["1e999", "NaN", "-Infinity", '"inf"', '"-50"', "-3", "1" * 400,
                                   '"' + "9" * 400 + '"', "1e300"])  # fmt: skip
def test_non_finite_negative_and_huge_times_are_never_stored(value):
    data = (
        '{"segments": [{"speaker": "A", "text": "first", "start": ' + value + ', "end": 2.0},'
        ' {"speaker": "B", "text": "second", "start": 3.0, "end": 4.0}]}'
    ).encode()
    parsed = parse_transcript(data, "t.json")
    assert [(t.text, t.start_s) for t in parsed.turns] == [("first", None), ("second", 3.0)]
    assert parsed.warnings[0].startswith("1 time ignored in segments[0].start")


@pytest.mark.parametrize(
    "data",
    [
        b"[" * 100_000 + b"]" * 100_000,
        b'{"segments": ' + b"[" * 50_000,
        b'{"segments": [{"text": "hi", "start": 1' + b"0" * 5000 + b"}]}",
        b'[{"text": "hi", "start": {"relative": {"relative": 1}}}]',
        b'{"results": {"items": [{"start_time": [], "alternatives": 3}]}}',
        b'{"results": {"channels": [{"alternatives": [{"words": [{"word": 5, "start": "x"}]}]}]}}',
        b'{"segments": [{"text": "hi"}]}\n{"oops"',
    ],
)
def test_malformed_json_is_one_clear_error(data):
    with pytest.raises(IngestError) as info:
        parse_transcript(data, "bad.json")
    assert "bad.json" in str(info.value)
    assert "internal parser error" not in str(info.value)


def test_lone_surrogates_and_control_characters_are_replaced():
    data = json.dumps([{"speaker": "A\ud800", "text": "caf\udce9 ok\x00", "start": 1}]).encode()
    parsed = parse_transcript(data, "s.json")
    assert parsed.turns[0].text == "caf\ufffd ok"
    assert parsed.turns[0].speaker == "A\ufffd"
    parsed.turns[0].text.encode("utf-8")  # storable
    assert "3 characters that are not text replaced" in parsed.warnings


def test_malformed_json_fails_alone_and_later_files_still_go_in(liaison):
    outcomes = [
        liaison.ingest_bytes(b"[" * 100_000, "deep.json"),
        liaison.ingest_bytes(b'[{"text": "x", "start": 1' + b"0" * 5000 + b"}]", "huge.json"),
        liaison.ingest_bytes(b"Ana Ruiz: The budget is approved.\nBo Chen: Good.\n", "ok.txt"),
    ]
    assert [o.error_type for o in outcomes] == ["MalformedTranscript", "MalformedTranscript", None]
    assert outcomes[2].meeting is not None
    assert liaison.meetings()[1] == 1


def test_an_unforeseen_parser_bug_is_still_a_per_file_error(monkeypatch):
    from assistant.ingest import text

    def broken(_text):
        raise KeyError("surprise")

    monkeypatch.setitem(__import__("assistant.ingest", fromlist=["x"])._TEXT_PARSERS, "text",
                        broken)  # fmt: skip
    assert text.parse  # the real parser is untouched
    with pytest.raises(MalformedTranscript) as info:
        parse_transcript(b"Ana Ruiz: hi\nBo Chen: yes\n", "x.txt")
    assert "internal parser error: KeyError" in str(info.value)
