"""What WebVTT and SRT share: blank-line separated blocks of `[id] / timing / payload`."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from assistant.errors import MalformedTranscript
from assistant.ingest.timecode import is_timing_line, parse_timing_line
from assistant.ingest.turns import Cue

# Two clock-like tokens on one line with something other than `-->` between them.
_TIMING_ATTEMPT = re.compile(r"^\s*\d{1,3}:\d{1,2}\S*\s*\S{0,4}\s*\d{1,3}:\d{1,2}\S*")


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


def parse_cue_blocks(
    blocks: Iterator[Block], payload_to_cues: Callable[[list[str], float, float, int], list[Cue]]
) -> list[Cue]:
    """Parse `[identifier] / start --> end / payload…` blocks into cues.

    `payload_to_cues(lines, start, end, line_no)` interprets the payload (speaker tags differ
    between formats). A block without a timing line continues the previous cue: some exporters
    leave a blank line inside a cue's text.
    """
    cues: list[Cue] = []
    for block in blocks:
        timing_at = next((i for i, ln in enumerate(block.lines[:2]) if is_timing_line(ln)), None)
        if timing_at is None:
            bad = next((i for i, ln in enumerate(block.lines) if is_timing_line(ln)), None)
            if bad is not None:
                raise MalformedTranscript(
                    f"timing line {block.lines[bad].strip()!r} must come first in its cue",
                    line=block.line + bad,
                )
            for i, ln in enumerate(block.lines[:2]):
                if _TIMING_ATTEMPT.match(ln):
                    raise MalformedTranscript(
                        f"broken timestamp {ln.strip()!r}", line=block.line + i
                    )
            if not cues or (len(block.lines) > 1 and block.lines[0].strip().isdigit()):
                raise MalformedTranscript(
                    f"expected a cue timing line ('00:00:01.000 --> 00:00:04.000'), "
                    f"found {block.lines[0].strip()[:60]!r}",
                    line=block.line,
                )
            cues[-1].text += " " + " ".join(ln.strip() for ln in block.lines)
            continue
        line_no = block.line + timing_at
        start, end, _settings = parse_timing_line(block.lines[timing_at], line_no=line_no)
        payload = block.lines[timing_at + 1 :]
        for j, ln in enumerate(payload):
            if is_timing_line(ln):
                raise MalformedTranscript(
                    f"two timing lines in one cue ({ln.strip()!r})", line=line_no + 1 + j
                )
        cues.extend(payload_to_cues(payload, start, end, line_no))
    inherit_speakers(cues)
    return cues


def inherit_speakers(cues: list[Cue]) -> None:
    """A caption without a speaker label, right after a labelled one, is the same person
    still talking (captioners split long sentences over several cues)."""
    for prev, cue in zip(cues, cues[1:], strict=False):
        if cue.speaker is None and prev.speaker is not None:
            cue.speaker = prev.speaker
