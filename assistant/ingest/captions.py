"""What WebVTT and SRT share: blank-line separated blocks of `[id] / timing / payload`.

A cue whose timing cannot be read is skipped and reported (a classic Teams download with one
`0:0:-6.-820` among 178 good cues is still a meeting); a file where most cues are unreadable is
refused at its first bad line. Rolling captions (YouTube's auto-captions repeat the previous
line at the top of each cue) are reduced to each line once.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from assistant.errors import MalformedTranscript
from assistant.ingest.report import ParseReport
from assistant.ingest.speakers import assign_speakers
from assistant.ingest.timecode import is_timing_line, parse_timing_line
from assistant.ingest.turns import Cue

# Two clock-like tokens on one line with something other than `-->` between them.
_TIMING_ATTEMPT = re.compile(r"^\s*-?\d{1,3}:-?\d{1,2}\S*\s*\S{0,4}\s*-?\d{1,3}:\d{1,2}\S*")
_ROLLING_SHARE = 0.3  # of cues that repeat the previous cue's last line

PayloadReader = Callable[[list[str], float, float, int], list[Cue]]


@dataclass
class Block:
    """Consecutive non-blank lines; `line` is the 1-based number of the first one."""

    line: int
    lines: list[str]


def iter_blocks(text: str, *, first_line: int = 1) -> Iterator[Block]:
    """Yield the blank-line separated blocks of `text`."""
    current: list[str] = []
    start = first_line
    for offset, raw in enumerate(text.split("\n")):
        line = raw.rstrip()
        if line.strip():
            if not current:
                start = first_line + offset
            current.append(line)
        elif current:
            yield Block(start, current)
            current = []
    if current:
        yield Block(start, current)


def _is_cue_id(line: str) -> bool:
    return line.strip().isdigit()


class _CueReader:
    """Reads blocks one by one into cues, remembering what it had to skip."""

    def __init__(self, payload_to_cues: PayloadReader, report: ParseReport):
        self.payload_to_cues = payload_to_cues
        self.report = report
        self.cues: list[Cue] = []
        self.first_error: MalformedTranscript | None = None
        self.skipping = False  # the text that follows belongs to a skipped cue

    def skip(self, error: MalformedTranscript, shown: str, reason: str) -> None:
        self.first_error = self.first_error or error
        self.report.add("cue skipped", "cues skipped", reason, line=error.line, example=shown)
        self.skipping = True

    def continue_text(self, lines: list[str], line_no: int) -> None:
        """Text outside a cue: some exporters leave a blank line inside a cue's text
        (YouTube puts a line of one space in each)."""
        if self.skipping or not lines or not self.cues:
            return
        last = self.cues[-1]
        more = self.payload_to_cues(lines, last.start_s or 0.0, last.end_s or 0.0, line_no)
        if more and more[0].speaker is None:
            last.text = f"{last.text}\n{more.pop(0).text}".strip("\n")
        self.cues.extend(more)

    def block(self, block: Block) -> None:
        timings = [i for i, ln in enumerate(block.lines) if is_timing_line(ln)]
        if not timings:
            # A broken arrow (`00:00:02,000 -> 00:00:03,000`) where a timing line belongs.
            timings = [i for i, ln in enumerate(block.lines[:2]) if _TIMING_ATTEMPT.match(ln)][:1]
        if not timings:
            if not self.cues and not self.skipping:
                shown = block.lines[0].strip()[:60]
                self.first_error = self.first_error or MalformedTranscript(
                    "expected a cue timing line ('00:00:01.000 --> 00:00:04.000'), "
                    f"found {shown!r}",
                    line=block.line,
                )
                self.report.add("block skipped", "blocks skipped", "text before the first cue",
                                line=block.line)  # fmt: skip
                return
            if len(block.lines) > 1 and _is_cue_id(block.lines[0]):  # a numbered cue, no timing
                self.skip(
                    MalformedTranscript("cue without a timing line", line=block.line),
                    block.lines[0].strip(),
                    "no timing line after cue number",
                )
                return
            self.continue_text(block.lines, block.line)
            return
        # The line just before a timing line is the cue's id; lines above it (no blank line
        # between) still belong to the previous cue.
        self.continue_text(block.lines[: max(timings[0] - 1, 0)], block.line)
        for n, at in enumerate(timings):
            stop = timings[n + 1] if n + 1 < len(timings) else len(block.lines)
            payload = block.lines[at + 1 : stop]
            if n + 1 < len(timings) and payload and _is_cue_id(payload[-1]):
                payload = payload[:-1]  # the next cue's id
            self.cue(block.lines[at], payload, block.line + at)

    def cue(self, timing: str, payload: list[str], line_no: int) -> None:
        try:
            start, end, _settings = parse_timing_line(timing, line_no=line_no, report=self.report)
        except MalformedTranscript as err:
            self.skip(err, timing.strip(), "unreadable timing")
            return
        self.skipping = False
        self.cues.extend(self.payload_to_cues(payload, start, end, line_no))


def parse_cue_blocks(
    blocks: Iterator[Block], payload_to_cues: PayloadReader, report: ParseReport
) -> list[Cue]:
    """Parse `[identifier] / start --> end / payload…` blocks into cues, with speakers.

    `payload_to_cues(lines, start, end, line_no)` interprets the payload (speaker tags differ
    between formats); each cue's text keeps one cleaned caption line per text line. A block
    without a timing line continues the previous cue. Cues with unreadable timings are skipped
    and reported, unless they outnumber the readable ones: then the file is refused at the
    first of them.
    """
    reader = _CueReader(payload_to_cues, report)
    for block in blocks:
        reader.block(block)
    skipped = report.count("cue skipped") + report.count("block skipped")
    if reader.first_error is not None and skipped > len(reader.cues):
        raise reader.first_error
    cues = reader.cues
    if is_rolling(cues):
        drop_repeated_lines(cues)
    assign_speakers(cues)
    inherit_speakers(cues)
    return cues


def _lines(cue: Cue) -> list[str]:
    return [ln for ln in (part.strip() for part in cue.text.split("\n")) if ln]


def _overlap(previous: list[str], current: list[str]) -> int:
    """How many of `current`'s first lines repeat `previous`'s last lines."""
    for j in range(min(len(previous), len(current)), 0, -1):
        if current[:j] == previous[-j:]:
            return j
    return 0


def is_rolling(cues: list[Cue]) -> bool:
    """True for roll-up captions: many cues open with the line the previous cue ended on."""
    if len(cues) < 3:
        return False
    lines = [_lines(c) for c in cues]
    repeats = sum(1 for a, b in zip(lines, lines[1:], strict=False) if _overlap(a, b))
    return repeats >= _ROLLING_SHARE * (len(cues) - 1)


def drop_repeated_lines(cues: list[Cue]) -> None:
    """Keep each caption line once: the line a cue repeats from the previous one goes."""
    previous: list[str] = []
    for cue in cues:
        current = _lines(cue)
        cue.text = "\n".join(current[_overlap(previous, current) :])
        previous = current


def inherit_speakers(cues: list[Cue]) -> None:
    """A caption without a speaker label, right after a labelled one, is the same person
    still talking (captioners split long sentences over several cues)."""
    for prev, cue in zip(cues, cues[1:], strict=False):
        if cue.speaker is None and prev.speaker is not None:
            cue.speaker = prev.speaker
