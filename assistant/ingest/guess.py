"""Metadata from names and headers: meeting date, title and kind."""

from __future__ import annotations

import re
from datetime import date
from pathlib import PurePath

from assistant.models import MeetingKind

_MONTH_NAMES = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
_MONTHS = {m: i for i, m in enumerate(_MONTH_NAMES, start=1)}
_MONTH = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
# 2026-10-06, 2026_10_06, 2024/11/21, 20261006: the same separator twice, or none.
_ISO = re.compile(r"(?<!\d)(20\d{2}|19\d{2})([-_./]?)(\d{2})\2(\d{2})(?!\d)")
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_WEEKDAY = r"(mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+(?:the\s+)?"
_SPOKEN_MDY = re.compile(rf"\b{_WEEKDAY}{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b",
                         re.I)  # fmt: skip
_SPOKEN_DMY = re.compile(
    rf"\b{_WEEKDAY}(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH},?\s+(\d{{4}})\b", re.I
)
_SPOKEN_WORDS = 400  # "the opening words": a date said later is about something else
# A clock after a date in a title: "2024/11/21 15:51 GMT", "October 27, 2026, 3:00PM".
_ZONE = r"(?:\s*(?:GMT|UTC|[A-Z]{2,4})(?:[+-]\d{1,2}(?::?\d{2})?)?)?"
_CLOCK_AFTER = rf"(?:,?\s*(?:at\s+)?\d{{1,2}}:\d{{2}}(?::\d{{2}})?\s*(?:[ap]\.?m\.?)?{_ZONE})?"
_SPOKEN_LINE = re.compile(r"^[^:：]{1,60}(?::\s|：)")  # `Name: text`
_FILE_WORDS = {"transcript", "transcription", "recording", "captions", "subtitles", "subs"}
_MDY = re.compile(rf"\b{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.I)
_DMY = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH},?\s+(\d{{4}})\b", re.I)
_DATE_KEY = re.compile(r"^\s*(?:meeting\s+)?(?:date|recorded(?:\s+on)?|when)\s*:\s*(.+)$", re.I)
_MAX_TITLE_CHARS = 300
_HEADER_LINES = 12  # only the top of a file is header; later dates are things people said

_KIND_PATTERNS: list[tuple[MeetingKind, re.Pattern[str]]] = [
    (MeetingKind.qbr, re.compile(r"\bqbr\b|quarterly[\s_-]*business[\s_-]*review", re.I)),
    (
        MeetingKind.monthly_1on1,
        re.compile(r"\b1\s*:\s*1\b|\b1[\s_-]*on[\s_-]*1\b|one[\s_-]*on[\s_-]*one", re.I),
    ),  # fmt: skip
    (MeetingKind.weekly_sync, re.compile(r"\bsync\b|weekly[\s_-]*(?:sync|meeting|check)", re.I)),
]
_ACRONYMS = {"qbr": "QBR", "cio": "CIO", "cmo": "CMO", "it": "IT", "cdp": "CDP", "kpi": "KPI",
             "1on1": "1:1", "1:1": "1:1", "sso": "SSO", "q1": "Q1", "q2": "Q2", "q3": "Q3",
             "q4": "Q4"}  # fmt: skip


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _iso_dates(text: str):
    """Every ISO-like date in `text`, overlapping ones too (`1971_2026-03-17`)."""
    pos = 0
    while m := _ISO.search(text, pos):
        yield m
        pos = m.start() + 1


def _date_in(text: str) -> date | None:
    for m in _iso_dates(text):
        found = _safe_date(int(m.group(1)), int(m.group(3)), int(m.group(4)))
        if found:
            return found
    if m := _MDY.search(text):
        return _safe_date(int(m.group(3)), _MONTHS[m.group(1)[:3].lower()], int(m.group(2)))
    if m := _DMY.search(text):
        return _safe_date(int(m.group(3)), _MONTHS[m.group(2)[:3].lower()], int(m.group(1)))
    return None


def _header_date(text: str) -> date | None:
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()][:_HEADER_LINES]
    for line in lines:
        if m := _DATE_KEY.match(line):
            found = _date_in(m.group(1))
            if found is None:
                import dateparser  # slow import, rarely needed: only for odd header values

                parsed = dateparser.parse(
                    m.group(1),
                    languages=["en"],
                    settings={"REQUIRE_PARTS": ["day", "month", "year"]},
                )
                found = parsed.date() if parsed else None
            if found:
                return found
    for line in lines:
        # A line that is mostly a date ("October 27, 2026, 3:00PM", "Sync (2026-10-06 10:00)"),
        # not what someone said ("Bo Chen: the launch is March 5, 2027") nor a cue timing.
        if len(line) > 80 or _SPOKEN_LINE.match(line) or "-->" in line:
            continue
        if found := _date_in(line):
            return found
    return None


def guess_date(filename: str, text: str | None) -> date | None:
    """The meeting date from the file name (`2026-10-06-weekly-sync.vtt`, `20261006_x.txt`),
    else from a header line of the content (`Date: October 6, 2026`); None if neither has one."""
    found = _date_in(PurePath(filename).name)
    if found is None and text:
        found = _header_date(text)
    return found


def spoken_date(words: str) -> date | None:
    """A date announced in the opening words ("today is Monday, December 9, 2024"): only
    with its weekday, and only when the weekday is right, so that a date merely mentioned
    ("the launch is March 3, 2027") is not taken for the meeting's."""
    head = " ".join(words.split()[:_SPOKEN_WORDS])
    for pattern, month_g, day_g in ((_SPOKEN_MDY, 2, 3), (_SPOKEN_DMY, 3, 2)):
        for m in pattern.finditer(head):
            month = _MONTHS[m.group(month_g)[:3].lower()]
            found = _safe_date(int(m.group(4)), month, int(m.group(day_g)))
            if found and _WEEKDAYS[found.weekday()].startswith(m.group(1).lower()):
                return found
    return None


def guess_kind(title: str, filename: str) -> MeetingKind:
    """weekly_sync / monthly_1on1 / qbr from words in the title or file name, else other."""
    for kind, pattern in _KIND_PATTERNS:
        if pattern.search(title or "") or pattern.search(PurePath(filename or "").stem):
            return kind
    return MeetingKind.other


def clean_title(raw: str) -> str:
    """Tidy a title found in a file: drop Markdown marks, ' - Transcript', dates (with their
    clock) and recording suffixes. A line too long to be a title gives ""."""
    raw = raw.strip().lstrip("#").strip().strip("*_").strip()
    if len(raw) > _MAX_TITLE_CHARS:
        return ""
    title = re.sub(
        r"\s*[-–—]?\s*(meeting\s+)?(transcript|recording)\s*$", "", raw.strip(), flags=re.I
    )
    title = re.sub(r"\(([^()]*\d{4}[^()]*)\)", "", title)  # "(2026-10-06 10:00 GMT-7)"
    title = re.sub(_ISO.pattern + _CLOCK_AFTER, "", title, flags=re.I)
    title = re.sub(_MDY.pattern + _CLOCK_AFTER, "", title, flags=re.I)
    title = " ".join(title.split()).strip(" -_–—,:")
    return title if len(title.split()) <= 15 else ""


def guess_title(filename: str) -> str:
    """A readable title from a file name: `2026-10-06-weekly-sync.vtt` -> "Weekly sync"."""
    stem = PurePath(filename).stem
    stem = _ISO.sub(" ", stem)
    words = [w for w in re.split(r"[\s_\-.]+", stem) if w]
    words = [w for w in words if w.lower() not in _FILE_WORDS] or words
    words = [_ACRONYMS.get(w.lower(), w) for w in words]
    if not words:
        return "Untitled meeting"
    first = words[0]
    if first.islower():
        first = first.capitalize()
    return " ".join([first, *words[1:]])
