"""Pick the format by content; the file extension only breaks ties.

Evidence, strongest first: a .docx package; a `WEBVTT` header; a JSON document (or JSON Lines);
cue timing lines (`00:00:01,000 --> 00:00:04,000`: SRT, or WebVTT when the extension says so);
enough lines that open a turn (plain text or Markdown). A Zoom chat export is refused as such.
"""

from __future__ import annotations

import re
from pathlib import PurePath

from assistant.errors import MalformedTranscript, UnsupportedFormat
from assistant.ingest.docx import is_docx
from assistant.ingest.jsonfmt import load as load_json
from assistant.ingest.text import count_turn_starts
from assistant.ingest.timecode import is_timing_line

SUPPORTED_FORMATS: tuple[str, ...] = ("vtt", "srt", "text", "json", "docx")
FORMAT_NAMES = {
    "vtt": "WebVTT (.vtt: Zoom, Teams)",
    "srt": "SubRip (.srt)",
    "text": "plain text or Markdown (.txt, .md: Otter, Google Meet/Gemini, 'Name: text', "
    "'hh:mm:ss text')",
    "json": "JSON (Whisper, WhisperX, AWS Transcribe, Deepgram, JSON Lines, or a list of "
    "{speaker, text, start, end})",
    "docx": "Microsoft Teams transcript (.docx)",
}
_MIN_TURN_STARTS = 2
_MIN_TURN_START_RATIO = 0.1
_JSON_START = re.compile(r"^\s*(\{|\[\s*[{\[\]\"]|\[\s*$)")
_JSON_EXTENSIONS = (".json", ".jsonl", ".ndjson")
# `00:05:12 From Ana Ruiz to Everyone:` (newer Zoom) or `10:02:33\t From  Ana Ruiz : hi` (older)
_CHAT_LINE = re.compile(r"^\s*\d{1,2}:\d{2}(?::\d{2})?\s+From\s+\S[^:\n]{0,120}:")
_CHAT_SHARE = 0.25


def unsupported(reason: str) -> UnsupportedFormat:
    """An UnsupportedFormat whose message lists what we can read."""
    return UnsupportedFormat(f"{reason}; supported formats: " + "; ".join(FORMAT_NAMES.values()))


def detect_bytes(data: bytes) -> str | None:
    """'docx' for a Word package, else None (the decoded text decides)."""
    return "docx" if is_docx(data) else None


def is_chat_log(text: str) -> bool:
    """True for a Zoom chat export (`00:05:12 From Ana Ruiz to Everyone:`): typed messages."""
    lines = [ln for ln in text.split("\n", 800)[:800] if ln.strip()][:400]
    chats = sum(1 for ln in lines if _CHAT_LINE.match(ln))
    return chats >= 2 and chats >= _CHAT_SHARE * len(lines)


def detect_format(text: str, filename: str = "") -> str:
    """Return one of SUPPORTED_FORMATS for decoded `text`.

    Raises UnsupportedFormat when nothing matches (or the file is a chat log), or
    MalformedTranscript for a file that is clearly meant to be JSON but does not parse.
    """
    ext = PurePath(filename).suffix.lower()
    head = text.lstrip()
    if head.startswith("WEBVTT"):
        return "vtt"
    if _JSON_START.match(text) or (ext in _JSON_EXTENSIONS and head[:1] in "{["):
        try:
            load_json(text)
            return "json"
        except MalformedTranscript:
            # `[00:00:05] Priya: …` also starts with a bracket: only a .json or an object
            # is surely meant as JSON, so only then report the syntax error.
            if ext in _JSON_EXTENSIONS or head.startswith("{"):
                raise
    lines = text.split("\n", 2000)[:2000]
    if any(is_timing_line(line) for line in lines):
        return "vtt" if ext == ".vtt" else "srt"
    if is_chat_log(text):
        raise UnsupportedFormat(
            "this is a Zoom chat log (the messages typed in the meeting's chat), not a "
            "transcript of what was said; upload the recording's transcript (.vtt) instead"
        )
    starts, non_blank = count_turn_starts(text)
    if starts >= _MIN_TURN_STARTS and starts >= _MIN_TURN_START_RATIO * non_blank:
        return "text"
    if ext in _JSON_EXTENSIONS:
        raise unsupported("the file is not JSON")
    raise unsupported("could not recognise a transcript (no cue timings or speaker lines)")
