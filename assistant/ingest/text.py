"""Plain-text transcripts, and Markdown ones (Google Meet / Gemini notes, see markdown.py).

Recognised turn starts (anything else continues the current turn):
    Priya Shah: text                    (Google Meet, hand-typed notes; `**Priya Shah:**` too)
    [00:01:02] Priya Shah: text         (bracketed clock; also without the brackets)
    Priya Shah (00:01:02): text         (clock after the name)
    Priya Shah  0:03  /  Priya  1:02:03 (Otter: a header line, the text on the next lines)
    [potuz] 00:04:01                    (Zoom's saved transcript: the text on the next lines)
    00:05:00                            (Meet: a clock line stamping the next turn)
    00:01:02 text  /  0:05 then text    (no names at all: a copied YouTube transcript)
Lines before the first turn are a header: `Title:`/`Date:` keys or a title line (`# Title`).
When a `Transcript` heading follows a page of notes (Gemini), the notes are header too.
A clock that cannot be read leaves its turn without a time, and the warnings say where.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from assistant.ingest import markdown
from assistant.ingest.guess import clean_title
from assistant.ingest.report import ParseReport
from assistant.ingest.speakers import canonical, display_name, file_labels, split_label
from assistant.ingest.timecode import parse_timecode
from assistant.ingest.turns import Cue, build_turns, is_speaker_name, normalize_speaker
from assistant.models import ParsedTranscript

FORMAT = "text"

# Loose on purpose: `00:01:xx` must be caught here and reported, not read as text.
_TC = r"\d{1,3}:[0-9A-Za-z]{1,2}(?::[0-9A-Za-z]{1,2})?(?:[.,][0-9A-Za-z]{1,6})?"
_STRICT_TC = r"\d{1,3}:\d{2}(?::\d{2})?(?:[.,]\d{1,6})?"
_BRACKETED = re.compile(rf"^[\[(]({_TC})[\])]\s*(?:[-–]\s*)?([^:]{{1,60}}?)\s*:\s*(.*)$")
_STAMPED = re.compile(rf"^({_STRICT_TC})\s+(?:[-–]\s*)?([^:]{{1,60}}?)\s*:\s+(.*)$")
_PAREN = re.compile(rf"^([^:()\[\]]{{1,60}}?)\s*[\[(]({_TC})[\])]\s*(?::\s*(.*))?$")
_OTTER = re.compile(rf"^(.{{1,60}}?)\s+({_STRICT_TC})$")
_BRACKET_NAME = re.compile(rf"^\[([^\[\]]{{1,60}})\]\s+({_STRICT_TC})$")
_CLOCK = re.compile(rf"^[\[(]?({_STRICT_TC})[\])]?$")
_CLOCKED = re.compile(rf"^[\[(]?({_STRICT_TC})[\])]?\s+(?:[-–—|]\s*)?(\S.*)$")
_SHORT_LINE = 200  # turn-start patterns with a clock only look at lines this short
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
_SPEAKERLESS = {"clocked", "clockline"}
_SPEAKERLESS_SHARE = 0.5  # of non-blank lines, for a file of clocks and text without names


@dataclass
class TurnStart:
    """A line that opens a turn."""

    speaker: str | None
    text: str
    start_s: float | None = None


@dataclass
class _Line:
    number: int
    text: str  # stripped, Markdown removed
    heading: bool = False


def _time(raw: str, line_no: int, report: ParseReport | None) -> float | None:
    try:
        return parse_timecode(raw)
    except ValueError:
        if report is not None:
            report.add(
                "time unreadable", "times unreadable", "{example}: the words are kept without it",
                line=line_no, example=raw,
            )  # fmt: skip
        return None


def _bracket_name(name: str) -> bool:
    return is_speaker_name(name) or display_name(name)


# (style, pattern, group of the name, group of the clock, group of the text or None, name check)
_TIMED_STYLES = [
    ("bracketed", _BRACKETED, 2, 1, 3, is_speaker_name),
    ("stamped", _STAMPED, 2, 1, 3, is_speaker_name),
    ("paren", _PAREN, 1, 2, 3, is_speaker_name),
    ("otter", _OTTER, 1, 2, None, is_speaker_name),
    ("zoomtxt", _BRACKET_NAME, 1, 2, None, _bracket_name),
]


def _timed_match(line: str) -> tuple[str, re.Match[str], int, int, int | None] | None:
    for style, pattern, name_g, clock_g, text_g, is_name in _TIMED_STYLES:
        if text_g is None and len(line) > _SHORT_LINE:
            continue  # a line of only a name and a clock is short; a long one is speech
        if (m := pattern.match(line)) and is_name(m.group(name_g).strip()):
            return style, m, name_g, clock_g, text_g
    return None


def _style(line: str, known: set[str]) -> str | None:
    """Which kind of turn start the line is (see _TIMED_STYLES), 'colon', a speakerless
    'clocked' / 'clockline', or None."""
    if timed := _timed_match(line):
        return timed[0]
    if split_label(line, known)[0] is not None:
        return "colon"
    if _CLOCK.match(line):
        return "clockline"
    return "clocked" if _CLOCKED.match(line) else None


def _plain_lines(lines: Iterable[str]) -> list[str]:
    return [p for p in (markdown.plain(ln)[0] for ln in lines) if p]


def turn_styles(lines: Iterable[str]) -> tuple[set[str], int, int, set[str]]:
    """The turn-start styles this file uses, how many lines open a turn, non-blank lines, and
    the display-name labels that are speakers here (see speakers.py).

    When a file stamps its turns with clocks (Otter, `[00:01:02] Name:`), a bare `Word: …` line
    inside a turn is text ("Recap: SSO is done"), not a new speaker. Clocks without names make
    turns only when they stamp most of the file's lines.
    """
    plain = _plain_lines(lines)
    known = file_labels(plain)
    counts: dict[str, int] = {}
    for line in plain:
        if style := _style(line, known):
            counts[style] = counts.get(style, 0) + 1
    named = {s for s in counts if s not in _SPEAKERLESS}
    timed = named - {"colon"}
    if sum(counts[s] for s in timed) >= 2:
        styles = timed
    elif named:
        styles = named
    else:
        # A clock alone on its line stamps the text line after it: both count.
        clocks = counts.get("clocked", 0) + 2 * counts.get("clockline", 0)
        enough = clocks >= 2 and clocks >= _SPEAKERLESS_SHARE * len(plain)
        styles = {s for s in _SPEAKERLESS if s in counts} if enough else set()
    starts = sum(counts[s] for s in styles)
    if "clockline" in styles:
        starts += counts["clockline"]  # each clock alone on a line has its text line
    return styles, starts, len(plain), known


def match_turn_start(
    line: str,
    line_no: int = 0,
    styles: set[str] | None = None,
    known: set[str] | None = None,
    report: ParseReport | None = None,
) -> TurnStart | None:
    """Return the turn this line opens (only of the given `styles`), or None if it continues
    the current turn. Speakerless clocked lines are turns only when `styles` says so."""
    line = line.strip()
    if timed := _timed_match(line):
        style, m, name_g, clock_g, text_g = timed
        if styles is not None and style not in styles:
            return None
        text = (m.group(text_g) or "") if text_g else ""
        name = canonical(m.group(name_g)) if style == "zoomtxt" else m.group(name_g)
        return TurnStart(normalize_speaker(name), text, _time(m.group(clock_g), line_no, report))
    speaker, text = split_label(line, known or set())
    if speaker is not None:
        if styles is not None and "colon" not in styles:
            return None
        return TurnStart(speaker, text)
    clocked = _CLOCKED.match(line) if styles and "clocked" in styles else None
    if clocked and not _CLOCK.match(line):
        return TurnStart(None, clocked.group(2), _time(clocked.group(1), line_no, report))
    return None


def count_turn_starts(text: str, limit: int = 400) -> tuple[int, int]:
    """(lines that open a turn, non-blank lines) over the first `limit` non-blank lines."""
    lines = [ln for ln in text.split("\n", limit * 4)[: limit * 4] if ln.strip()][:limit]
    _, starts, non_blank, _ = turn_styles(lines)
    return starts, non_blank


def _transcript_start(lines: list[_Line]) -> int:
    """Index of the first line after a `Transcript` heading that follows notes (Gemini puts
    its summary first), or 0 when there is no such heading."""
    for i, line in enumerate(lines[:2000]):
        if (line.heading or i < 200) and markdown.letters(line.text) == "transcript":
            return i + 1
    return 0


def parse_lines(
    numbered: Iterable[tuple[int, str]],
    *,
    format: str = FORMAT,
    report: ParseReport | None = None,
) -> ParsedTranscript:
    """Parse (line number, line) pairs. Shared with the .docx reader, whose paragraphs become
    lines."""
    report = report or ParseReport()
    lines = []
    for number, raw in numbered:
        text, heading = markdown.plain(raw)
        if text:
            lines.append(_Line(number, text, heading))
    styles, _, _, known = turn_styles(line.text for line in lines)
    body_from = _transcript_start(lines)
    cues: list[Cue] = []
    title: str | None = None
    preamble = True
    clock: float | None = None
    pending_clock = False  # a bare clock line without names: the next line is its text
    for i, item in enumerate(lines):
        line, line_no = item.text, item.number
        if _TRAILERS.match(line):
            continue
        if preamble and (m := _HEADER_KEY.match(line)):
            key = m.group(1).lower()
            if key in ("title", "meeting", "meeting title", "subject") and m.group(2).strip():
                title = clean_title(m.group(2))
            continue
        if m := _CLOCK.match(line):
            if i >= body_from:
                clock = _time(m.group(1), line_no, report)
                pending_clock = "clockline" in styles
            continue
        start = match_turn_start(line, line_no, styles, known, report) if i >= body_from else None
        if start is None and pending_clock and not item.heading:
            start = TurnStart(None, line)
        pending_clock = False
        if start is not None:
            preamble = False
            when = start.start_s if start.start_s is not None else clock
            clock = None
            cues.append(Cue(start.text, start.speaker, when, None, line_no))
        elif preamble:
            if title is None and markdown.letters(line) not in _HEADER_WORDS:
                title = clean_title(line) or None
        elif not item.heading:  # a heading inside the transcript is structure, not speech
            cues[-1].text += " " + line
    parsed = ParsedTranscript(format=format, turns=build_turns(cues, fill_ends=True), title=title)
    parsed.warnings = report.warnings()
    return parsed


def parse(text: str) -> ParsedTranscript:
    """Parse a plain-text (or Markdown) transcript."""
    return parse_lines(enumerate(text.split("\n"), start=1))
