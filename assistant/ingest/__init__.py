"""Transcript ingestion: bytes in, speaker turns out.

    parse_transcript(data, filename)
        decode.decode_bytes      empty / binary / encoding checks
        detect.detect_format     by content; the extension only breaks ties
        vtt | srt | text | jsonfmt | docx   one module per format, each producing Cues
          (captions: what VTT and SRT share; markdown: .md as text; aws, deepgram: vendor JSON;
           speakers: which `Label:` prefixes are speakers, decided per file)
        turns.build_turns        shared merging of same-speaker cues
        timecode                 the one timestamp parser
        limits                   what one transcript may cost (line length, words, turns)
        report                   what was skipped, as warnings on the result and the meeting

Every error is an `IngestError` naming the file and, where it applies, the 1-based line. A
file that is mostly readable is kept, and its `warnings` say what was not.
"""

from __future__ import annotations

import logging
import re

from assistant import unspaced
from assistant.errors import EmptyTranscript, IngestError, MalformedTranscript
from assistant.ingest import docx, jsonfmt, srt, text, vtt
from assistant.ingest.decode import check_not_empty, decode_bytes
from assistant.ingest.detect import SUPPORTED_FORMATS, detect_bytes, detect_format
from assistant.ingest.guess import guess_date, guess_kind, guess_title, spoken_date
from assistant.ingest.limits import check_lines, check_turns
from assistant.models import ParsedTranscript, Turn

__all__ = [
    "SUPPORTED_FORMATS",
    "detect_format",
    "guess_date",
    "guess_kind",
    "guess_title",
    "parse_transcript",
]

log = logging.getLogger(__name__)

_TEXT_PARSERS = {"vtt": vtt.parse, "srt": srt.parse, "text": text.parse, "json": jsonfmt.parse}
# Lone surrogates (from JSON `"\ud800"`) cannot be stored as UTF-8; control characters are
# not text. Both become U+FFFD / a space.
_SURROGATE = re.compile("[\ud800-\udfff]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
INTERNAL_ERROR = "internal parser error"


def _clean(value: str) -> tuple[str, int]:
    """`value` without surrogates and control characters, and how many were replaced."""
    value, surrogates = _SURROGATE.subn("\ufffd", value)
    value, controls = _CONTROL.subn(" ", value)
    return value, surrogates + controls


def _clean_turns(turns: list[Turn]) -> tuple[list[Turn], int]:
    out: list[Turn] = []
    replaced = 0
    for turn in turns:
        body, n = _clean(turn.text)
        speaker, m = _clean(turn.speaker) if turn.speaker else (None, 0)
        replaced += n + m
        body = unspaced.tidy(body)
        if body:
            speaker = " ".join(speaker.split()) if speaker else None
            out.append(turn.model_copy(update={"index": len(out), "text": body,
                                               "speaker": speaker or None}))  # fmt: skip
    return out, replaced


def _finish(parsed: ParsedTranscript, filename: str, content: str) -> ParsedTranscript:
    """Clean the turns, check the limits, fill in title and date, and say what is missing."""
    turns, replaced = _clean_turns(parsed.turns)
    if not turns:
        raise EmptyTranscript(f"no speech found in this {parsed.format} file")
    check_turns(turns)
    warnings = list(parsed.warnings)
    if replaced:
        warnings.append(f"{replaced} characters that are not text replaced")
    if all(t.speaker is None for t in turns):
        warnings.append("no speaker names in this file: the turns have no speaker")
    if all(t.start_s is None for t in turns):
        warnings.append("no times in this file: results cannot point to a moment")
    title = _clean(parsed.title)[0].strip() if parsed.title else ""
    opening = " ".join(t.text for t in turns[:40])
    return parsed.model_copy(
        update={
            "turns": turns,
            "title": title or guess_title(filename),
            "date": parsed.date or guess_date(filename, content) or spoken_date(opening),
            "warnings": warnings,
        }
    )


def _parse(data: bytes, filename: str) -> ParsedTranscript:
    check_not_empty(data)
    if detect_bytes(data) == "docx":
        numbered, core_title = docx.docx_lines(data)
        content = "\n".join(line for _, line in numbered)
        check_lines(content)
        parsed = docx.parse_docx_lines(numbered, core_title)
    else:
        content = decode_bytes(data)
        fmt = detect_format(content, filename)
        if fmt != "json":  # JSON is often one long line, and is not read line by line
            check_lines(content)
        parsed = _TEXT_PARSERS[fmt](content)
    return _finish(parsed, filename, content)


def parse_transcript(data: bytes, filename: str) -> ParsedTranscript:
    """Parse an uploaded transcript into turns indexed 0..n-1, with title and date when known,
    and warnings about what could not be read.

    Raises an `IngestError` subclass naming `filename` (and the line, where it applies).
    """
    try:
        return _parse(data, filename)
    except IngestError as err:
        if err.source is None:
            raise err.at(filename) from err
        raise
    except (RecursionError, MemoryError, ValueError, TypeError, KeyError, IndexError,
            AttributeError, OverflowError, UnicodeError) as exc:  # fmt: skip
        # A bug of ours, met on input nobody foresaw: this file fails, with a clear message
        # (the other files of an upload still go in), and the log has the traceback.
        log.exception("parsing %s failed", filename)
        raise MalformedTranscript(
            f"could not read this file ({INTERNAL_ERROR}: {type(exc).__name__})",
            source=filename,
        ) from exc
