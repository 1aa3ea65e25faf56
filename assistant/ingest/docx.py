"""Microsoft Teams transcript downloads (.docx), read with python-docx.

Two layouts, plus anything the plain-text reader understands (`Name: text` paragraphs):
    0:0:3.1 --> 0:0:7.5      (classic: timing, speaker, text paragraphs)
    Priya Shah
    Good morning.

    Priya Shah   0:03        (current: speaker and clock, then the text)
    Good morning.
Line numbers in errors count paragraphs (and line breaks inside them), from 1.
"""

from __future__ import annotations

import io
import zipfile

from assistant.errors import MalformedTranscript
from assistant.ingest import text as text_reader
from assistant.ingest.guess import clean_title
from assistant.ingest.timecode import is_timing_line, parse_timing_line
from assistant.ingest.turns import Cue, build_turns, is_speaker_name, normalize_speaker
from assistant.models import ParsedTranscript

FORMAT = "docx"


def is_docx(data: bytes) -> bool:
    """True for a zip archive holding `word/document.xml`."""
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return "word/document.xml" in zf.namelist()
    except zipfile.BadZipFile:
        return False


def docx_lines(data: bytes) -> tuple[list[tuple[int, str]], str | None]:
    """Numbered text lines of the document body, and its core title property if set."""
    import docx  # python-docx; imported here so text-only use never pays for lxml

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as e:  # python-docx raises several unrelated types for a broken package
        raise MalformedTranscript(f"cannot open the .docx file ({e.__class__.__name__})") from None
    lines: list[str] = []
    for paragraph in document.paragraphs:
        lines.extend(paragraph.text.replace("\r", "\n").replace("\v", "\n").split("\n"))
    title = (document.core_properties.title or "").strip() or None
    return list(enumerate(lines, start=1)), title


def _parse_classic(numbered: list[tuple[int, str]]) -> ParsedTranscript:
    cues: list[Cue] = []
    title: str | None = None
    current: Cue | None = None
    expect_speaker = False
    for line_no, raw in numbered:
        line = raw.strip()
        if not line:
            continue
        if is_timing_line(line):
            start, end, _ = parse_timing_line(line, line_no=line_no)
            current = Cue("", None, start, end, line_no)
            cues.append(current)
            expect_speaker = True
        elif current is None:
            title = title or clean_title(line) or None
        elif expect_speaker and is_speaker_name(line):
            current.speaker = normalize_speaker(line)
            expect_speaker = False
        else:
            current.text = f"{current.text} {line}"
            expect_speaker = False
    return ParsedTranscript(format=FORMAT, turns=build_turns(cues), title=title)


def parse_docx_lines(numbered: list[tuple[int, str]], core_title: str | None) -> ParsedTranscript:
    """Parse the lines `docx_lines` read from a Teams .docx transcript."""
    if any(is_timing_line(line) for _, line in numbered):
        parsed = _parse_classic(numbered)
    else:
        parsed = text_reader.parse_lines(numbered, format=FORMAT)
    if core_title:
        parsed.title = clean_title(core_title) or parsed.title
    return parsed


def parse(data: bytes) -> ParsedTranscript:
    """Parse a Teams .docx transcript."""
    return parse_docx_lines(*docx_lines(data))
