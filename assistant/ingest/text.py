"""Plain-text transcripts.

Recognised turn starts (anything else continues the current turn):
    Priya Shah: text                    (Google Meet, hand-typed notes)
    [00:01:02] Priya Shah: text         (bracketed clock)
    Priya Shah (00:01:02): text         (clock after the name)
    Priya Shah  0:03  /  Priya  1:02:03 (Otter: a header line, the text on the next lines)
    00:05:00                            (Meet: a clock line stamping the next turn)
Lines before the first turn are a header: `Title:`/`Date:` keys or a title line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from assistant.errors import MalformedTranscript
from assistant.ingest.guess import clean_title
from assistant.ingest.timecode import parse_timecode
from assistant.ingest.turns import (
    Cue,
    build_turns,
    is_speaker_name,
    normalize_speaker,
    split_speaker,
)
from assistant.models import ParsedTranscript

FORMAT = "text"

# Loose on purpose: `00:01:xx` must be caught here and reported as broken, not read as text.
_TC = r"\d{1,3}:[0-9A-Za-z]{1,2}(?::[0-9A-Za-z]{1,2})?(?:[.,][0-9A-Za-z]{1,6})?"
_STRICT_TC = r"\d{1,3}:\d{2}(?::\d{2})?(?:[.,]\d{1,6})?"
_BRACKETED = re.compile(rf"^[\[(]({_TC})[\])]\s*(?:[-–]\s*)?([^:]{{1,60}}?)\s*:\s*(.*)$")
_PAREN = re.compile(rf"^([^:()\[\]]{{1,60}}?)\s*[\[(]({_TC})[\])]\s*(?::\s*(.*))?$")
_OTTER = re.compile(rf"^(.{{1,60}}?)\s+({_STRICT_TC})$")
_CLOCK = re.compile(rf"^[\[(]?({_STRICT_TC})[\])]?$")
_HEADER_KEY = re.compile(
    r"^(title|meeting|meeting title|subject|date|meeting date|time|attendees|participants|"
    r"location|duration|recorded|recorded on|organi[sz]er)\s*:\s*(.*)$",
    re.I,
)
_HEADER_WORDS = {"transcript", "attendees", "participants", "summary", "notes"}
# Lines the tools append that are nobody's speech.
_TRAILERS = re.compile(
    r"^(meeting ended after\b|this editable transcript was computer generated|"
    r"transcribed by https?://)",
    re.I,
)


@dataclass
class TurnStart:
    """A line that opens a turn."""

    speaker: str | None
    text: str
    start_s: float | None = None


def _time(raw: str, line_no: int, line: str) -> float:
    try:
        return parse_timecode(raw)
    except ValueError:
        raise MalformedTranscript(f"broken timestamp in {line.strip()!r}", line=line_no) from None


# (style, pattern, group of the name, group of the clock, group of the text or None)
_TIMED_STYLES: list[tuple[str, re.Pattern[str], int, int, int | None]] = [
    ("bracketed", _BRACKETED, 2, 1, 3),
    ("paren", _PAREN, 1, 2, 3),
    ("otter", _OTTER, 1, 2, None),
]


def _timed_match(line: str) -> tuple[str, re.Match[str], int, int, int | None] | None:
    for style, pattern, name_g, clock_g, text_g in _TIMED_STYLES:
        if (m := pattern.match(line)) and is_speaker_name(m.group(name_g)):
            return style, m, name_g, clock_g, text_g
    return None


def _style(line: str) -> str | None:
    """Which kind of turn start the line is: 'bracketed', 'paren', 'otter', 'colon' or None."""
    if timed := _timed_match(line):
        return timed[0]
    return "colon" if split_speaker(line)[0] is not None else None


def turn_styles(lines: Iterable[str]) -> tuple[set[str], int, int]:
    """The turn-start styles this file uses, how many lines open a turn, and non-blank lines.

    When a file stamps its turns with clocks (Otter, `[00:01:02] Name:`), a bare `Word: …` line
    inside a turn is text ("Recap: SSO is done"), not a new speaker.
    """
    counts: dict[str, int] = {}
    non_blank = 0
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        non_blank += 1
        if style := _style(line):
            counts[style] = counts.get(style, 0) + 1
    timed = {s for s in counts if s != "colon"}
    styles = timed if sum(counts[s] for s in timed) >= 2 else set(counts)
    return styles, sum(counts[s] for s in styles), non_blank


def match_turn_start(
    line: str, line_no: int = 0, styles: set[str] | None = None
) -> TurnStart | None:
    """Return the turn this line opens (only of the given `styles`), or None if it continues
    the current turn."""
    line = line.strip()
    if timed := _timed_match(line):
        style, m, name_g, clock_g, text_g = timed
        if styles is not None and style not in styles:
            return None
        text = (m.group(text_g) or "") if text_g else ""
        return TurnStart(
            normalize_speaker(m.group(name_g)), text, _time(m.group(clock_g), line_no, line)
        )
    speaker, text = split_speaker(line)
    if speaker is None or (styles is not None and "colon" not in styles):
        return None
    return TurnStart(speaker, text)


def count_turn_starts(text: str, limit: int = 400) -> tuple[int, int]:
    """(lines that open a turn, non-blank lines) over the first `limit` non-blank lines."""
    lines = [ln for ln in text.split("\n") if ln.strip()][:limit]
    _, starts, non_blank = turn_styles(lines)
    return starts, non_blank


def parse_lines(numbered: Iterable[tuple[int, str]], *, format: str = FORMAT) -> ParsedTranscript:
    """Parse (line number, line) pairs. Shared with the .docx reader, whose paragraphs become
    lines."""
    numbered = list(numbered)
    styles, _, _ = turn_styles(line for _, line in numbered)
    cues: list[Cue] = []
    title: str | None = None
    preamble = True
    clock: float | None = None
    for line_no, raw in numbered:
        line = raw.strip()
        if not line or _TRAILERS.match(line):
            continue
        if preamble and (m := _HEADER_KEY.match(line)):
            key = m.group(1).lower()
            if key in ("title", "meeting", "meeting title", "subject") and m.group(2).strip():
                title = clean_title(m.group(2))
            continue
        if m := _CLOCK.match(line):
            clock = _time(m.group(1), line_no, line)
            continue
        start = match_turn_start(line, line_no, styles)
        if start is not None:
            preamble = False
            when = start.start_s if start.start_s is not None else clock
            clock = None
            cues.append(Cue(start.text, start.speaker, when, None, line_no))
        elif cues:
            cues[-1].text += " " + line
        elif title is None and line.lower().rstrip(":") not in _HEADER_WORDS:
            title = clean_title(line) or None
    return ParsedTranscript(format=format, turns=build_turns(cues, fill_ends=True), title=title)


def parse(text: str) -> ParsedTranscript:
    """Parse a plain-text transcript."""
    return parse_lines(enumerate(text.split("\n"), start=1))
