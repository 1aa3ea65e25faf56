"""Pick the format by content; the file extension only breaks ties.

Evidence, strongest first: a .docx package; a `WEBVTT` header; a JSON document; cue timing lines
(`00:00:01,000 --> 00:00:04,000`: SRT, or WebVTT when the extension says so); enough lines that
open a speaker turn (plain text).
"""

from __future__ import annotations

import json
import re
from pathlib import PurePath

from assistant.errors import UnsupportedFormat
from assistant.ingest.docx import is_docx
from assistant.ingest.jsonfmt import load as load_json
from assistant.ingest.text import count_turn_starts
from assistant.ingest.timecode import is_timing_line

SUPPORTED_FORMATS: tuple[str, ...] = ("vtt", "srt", "text", "json", "docx")
FORMAT_NAMES = {
    "vtt": "WebVTT (.vtt: Zoom, Teams)",
    "srt": "SubRip (.srt)",
    "text": "plain text with speaker names (.txt: Otter, Google Meet, 'Name: text')",
    "json": "JSON (Whisper, WhisperX, or a list of {speaker, text, start, end})",
    "docx": "Microsoft Teams transcript (.docx)",
}
_MIN_TURN_STARTS = 2
_MIN_TURN_START_RATIO = 0.1
_JSON_START = re.compile(r"^\s*(\{|\[\s*[{\[\]\"]|\[\s*$)")


def unsupported(reason: str) -> UnsupportedFormat:
    """An UnsupportedFormat whose message lists what we can read."""
    return UnsupportedFormat(f"{reason}; supported formats: " + "; ".join(FORMAT_NAMES.values()))


def detect_bytes(data: bytes) -> str | None:
    """'docx' for a Word package, else None (the decoded text decides)."""
    return "docx" if is_docx(data) else None


def detect_format(text: str, filename: str = "") -> str:
    """Return one of SUPPORTED_FORMATS for decoded `text`.

    Raises UnsupportedFormat when nothing matches, or MalformedTranscript for a file that is
    clearly meant to be JSON but does not parse.
    """
    ext = PurePath(filename).suffix.lower()
    head = text.lstrip()
    if head.startswith("WEBVTT"):
        return "vtt"
    if _JSON_START.match(text) or (ext == ".json" and head[:1] in "{["):
        try:
            json.loads(text)
            return "json"
        except json.JSONDecodeError:
            # `[00:00:05] Priya: …` also starts with a bracket: only a .json or an object
            # is surely meant as JSON, so only then report the syntax error.
            if ext == ".json" or head.startswith("{"):
                load_json(text)  # raises MalformedTranscript at the error's line
    lines = text.split("\n", 2000)[:2000]
    if any(is_timing_line(line) for line in lines):
        return "vtt" if ext == ".vtt" else "srt"
    starts, non_blank = count_turn_starts(text)
    if starts >= _MIN_TURN_STARTS and starts >= _MIN_TURN_START_RATIO * non_blank:
        return "text"
    if ext == ".json":
        raise unsupported("the file is not JSON")
    raise unsupported("could not recognise a transcript (no cue timings or speaker lines)")
