"""Transcript ingestion: bytes in, speaker turns out.

    parse_transcript(data, filename)
        decode.decode_bytes      empty / binary / encoding checks
        detect.detect_format     by content; the extension only breaks ties
        vtt | srt | text | jsonfmt | docx   one module per format, each producing Cues
        turns.build_turns        shared merging of same-speaker cues
        timecode                 the one timestamp parser

Every error is an `IngestError` naming the file and, where it applies, the 1-based line.
"""

from __future__ import annotations

from assistant.errors import EmptyTranscript, IngestError
from assistant.ingest import docx, jsonfmt, srt, text, vtt
from assistant.ingest.decode import check_not_empty, decode_bytes
from assistant.ingest.detect import SUPPORTED_FORMATS, detect_bytes, detect_format
from assistant.ingest.guess import guess_date, guess_kind, guess_title
from assistant.models import ParsedTranscript

__all__ = [
    "SUPPORTED_FORMATS",
    "detect_format",
    "guess_date",
    "guess_kind",
    "guess_title",
    "parse_transcript",
]

_TEXT_PARSERS = {"vtt": vtt.parse, "srt": srt.parse, "text": text.parse, "json": jsonfmt.parse}


def _parse(data: bytes, filename: str) -> ParsedTranscript:
    check_not_empty(data)
    if detect_bytes(data) == "docx":
        numbered, core_title = docx.docx_lines(data)
        parsed = docx.parse_docx_lines(numbered, core_title)
        content = "\n".join(line for _, line in numbered)
    else:
        content = decode_bytes(data)
        parsed = _TEXT_PARSERS[detect_format(content, filename)](content)
    if not parsed.turns:
        raise EmptyTranscript(f"no speech found in this {parsed.format} file")
    parsed.title = parsed.title or guess_title(filename)
    parsed.date = parsed.date or guess_date(filename, content)
    return parsed


def parse_transcript(data: bytes, filename: str) -> ParsedTranscript:
    """Parse an uploaded transcript into turns indexed 0..n-1, with title and date when known.

    Raises an `IngestError` subclass naming `filename` (and the line, where it applies).
    """
    try:
        return _parse(data, filename)
    except IngestError as err:
        if err.source is None:
            raise err.at(filename) from err
        raise
