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
from collections.abc import Iterator

from assistant.errors import MalformedTranscript, TranscriptTooLarge
from assistant.ingest import text as text_reader
from assistant.ingest.guess import clean_title
from assistant.ingest.limits import MAX_DOCX_PART_BYTES, MAX_DOCX_TOTAL_BYTES
from assistant.ingest.report import ParseReport
from assistant.ingest.timecode import is_timing_line, parse_timing_line
from assistant.ingest.turns import Cue, build_turns, is_speaker_name, normalize_speaker
from assistant.models import ParsedTranscript

FORMAT = "docx"
# What zipfile may raise on a damaged archive, besides BadZipFile.
_ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError,
               NotImplementedError, KeyError, OverflowError)  # fmt: skip


def is_docx(data: bytes) -> bool:
    """True for a zip archive holding `word/document.xml`."""
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return "word/document.xml" in zf.namelist()
    except _ZIP_ERRORS:
        return False


def check_inflated_size(data: bytes) -> None:
    """Refuse a package whose parts would inflate past the limits (a zip bomb: 0.75 MB that
    becomes 200 MB of XML). The sizes are those the archive declares; zipfile never inflates
    a part past its declared size, so they bound what python-docx can read."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except _ZIP_ERRORS:
        raise MalformedTranscript("cannot open the .docx file (not a valid zip archive)") from None
    total = sum(i.file_size for i in infos)
    body = sum(i.file_size for i in infos if i.filename == "word/document.xml")
    if body > MAX_DOCX_PART_BYTES or total > MAX_DOCX_TOTAL_BYTES:
        raise TranscriptTooLarge(
            f"the .docx file inflates to {total / 1e6:.0f} MB (its text to {body / 1e6:.0f} MB);"
            f" the limit is {MAX_DOCX_TOTAL_BYTES / 1e6:.0f} MB"
            f" ({MAX_DOCX_PART_BYTES / 1e6:.0f} MB of text)"
        )


def docx_lines(data: bytes) -> tuple[list[tuple[int, str]], str | None]:
    """Numbered text lines of the document body, and its core title property if set."""
    import docx  # python-docx; imported here so text-only use never pays for lxml

    check_inflated_size(data)
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as e:  # python-docx raises several unrelated types for a broken package
        raise MalformedTranscript(f"cannot open the .docx file ({e.__class__.__name__})") from None
    lines: list[str] = []
    for paragraph in _paragraph_texts(document.element.body):
        lines.extend(paragraph.replace("\r", "\n").replace("\v", "\n").split("\n"))
    title = (document.core_properties.title or "").strip() or None
    return list(enumerate(lines, start=1)), title


def _paragraph_texts(body) -> Iterator[str]:
    """The text of each paragraph, in document order (tables included), read straight from
    the XML: python-docx's `Paragraph.text` takes seconds on 20,000 paragraphs."""
    from docx.oxml.ns import qn

    run, text = qn("w:r"), qn("w:t")
    marks = {qn("w:tab"): "\t", qn("w:br"): "\n", qn("w:cr"): "\n"}
    for paragraph in body.iter(qn("w:p")):
        yield "".join(
            (node.text or "") if node.tag == text else marks.get(node.tag, "")
            for r in paragraph.iter(run)  # runs, also inside hyperlinks; not tab stops
            for node in r
        )


def _parse_classic(numbered: list[tuple[int, str]]) -> ParsedTranscript:
    cues: list[Cue] = []
    report = ParseReport()
    title: str | None = None
    current: Cue | None = None
    skipping = False  # inside a cue whose timing could not be read
    expect_speaker = False
    for line_no, raw in numbered:
        line = raw.strip()
        if not line:
            continue
        if is_timing_line(line):
            try:
                start, end, _ = parse_timing_line(line, line_no=line_no, report=report)
            except MalformedTranscript:
                # Classic Teams downloads hold the odd `0:0:-6.-820`: skip that cue alone.
                report.add("cue skipped", "cues skipped", "unreadable timing", line=line_no,
                           example=line)  # fmt: skip
                skipping, current = True, None
                continue
            current = Cue("", None, start, end, line_no)
            cues.append(current)
            skipping, expect_speaker = False, True
        elif skipping:
            continue
        elif current is None:
            title = title or clean_title(line) or None
        elif expect_speaker and is_speaker_name(line):
            current.speaker = normalize_speaker(line)
            expect_speaker = False
        else:
            current.text = f"{current.text} {line}"
            expect_speaker = False
    skipped = report.count("cue skipped")
    if skipped and skipped > len(cues):
        raise MalformedTranscript("most cue timings cannot be read", line=report.first_line())
    return ParsedTranscript(
        format=FORMAT, turns=build_turns(cues), title=title, warnings=report.warnings()
    )


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
