"""Timestamps: the one place that turns `00:01:02.500`, `1:02`, `0:0:3.1` or `00:00:01,000`
into seconds. Every format module goes through here so they all accept and reject the same things.
"""

from __future__ import annotations

import re

from assistant.errors import MalformedTranscript
from assistant.ingest.report import ParseReport

# [hh:]mm:ss[.,fraction] — lenient on digit counts because Teams writes `0:0:3.1`.
_TIMECODE = re.compile(r"^(?:(\d{1,3}):)?(\d{1,2}):(\d{1,2})(?:[.,](\d{1,6}))?$")
# A line opening with something clock-like and an arrow is a timing line, broken or not.
_TIMING_START = re.compile(r"^\s*[\w.,+-]*:[\w:.,+-]*?\s*-->")
_ARROW = re.compile(r"^\s*(\S+)\s+-->\s+(\S+)(?:\s+(.*))?$")

# A cue may end a little before it starts in sloppy exports; beyond this it is broken.
END_BEFORE_START_TOLERANCE_S = 1.0


def parse_timecode(value: str) -> float:
    """Return seconds for `[hh:]mm:ss[.fff]` (`,` also accepted). Raises ValueError if broken."""
    m = _TIMECODE.match(value.strip())
    if not m:
        raise ValueError(f"broken timestamp {value.strip()!r}")
    hours, minutes, seconds, fraction = m.groups()
    if int(seconds) >= 60 or (hours is not None and int(minutes) >= 60):
        raise ValueError(f"broken timestamp {value.strip()!r}")
    total = int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds)
    if fraction:
        total += int(fraction) / 10 ** len(fraction)
    return round(total, 3)


def is_timing_line(line: str) -> bool:
    """True if the line is a cue timing line (`start --> end`), well-formed or not."""
    return bool(_TIMING_START.match(line))


def parse_timing_line(
    line: str, *, line_no: int | None = None, report: ParseReport | None = None
) -> tuple[float, float, str]:
    """Parse `start --> end [settings]` into (start_s, end_s, settings).

    Raises MalformedTranscript naming `line_no` when a time cannot be read. A cue that ends
    well before it starts is an error too, unless a `report` is given: then its end is set to
    its start and the report says so.
    """
    m = _ARROW.match(line)
    if not m:
        raise MalformedTranscript(f"broken timestamp {line.strip()!r}", line=line_no)
    start_raw, end_raw, settings = m.groups()
    try:
        start = parse_timecode(start_raw)
        end = parse_timecode(end_raw)
    except ValueError:
        raise MalformedTranscript(f"broken timestamp {line.strip()!r}", line=line_no) from None
    checked = check_span(start, end, line_no=line_no, shown=line.strip(), report=report)
    return start, end if checked is None else checked, settings or ""


def check_span(
    start: float | None,
    end: float | None,
    *,
    line_no: int | None = None,
    shown: str = "",
    where: str | None = None,
    report: ParseReport | None = None,
) -> float | None:
    """Return `end`, clamped to `start` when it is slightly early. Far too early raises, or,
    with a `report`, is clamped too and reported."""
    if start is None or end is None:
        return end
    if end < start - END_BEFORE_START_TOLERANCE_S:
        if report is not None:
            report.add(
                "cue ends before it starts",
                "cues end before they start",
                "end set to the start",
                line=line_no,
                where=where,
            )
            return start
        what = f" {shown!r}" if shown else ""
        raise MalformedTranscript(
            f"cue ends before it starts{what} ({end:g}s < {start:g}s)", line=line_no
        )
    return max(end, start)


def format_timecode(seconds: float, *, sep: str = ".") -> str:
    """`hh:mm:ss.mmm` for `seconds` (used to write sample files and fixtures)."""
    ms = round(seconds * 1000)
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}"
