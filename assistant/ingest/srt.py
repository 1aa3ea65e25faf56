"""SubRip (.srt): numbered cues, `00:00:01,000 --> 00:00:04,000`, optional `Name:` prefix."""

from __future__ import annotations

from assistant.ingest.captions import iter_blocks, parse_cue_blocks
from assistant.ingest.report import ParseReport
from assistant.ingest.turns import Cue, build_turns, clean_caption_text
from assistant.models import ParsedTranscript

FORMAT = "srt"


def _payload_to_cues(lines: list[str], start: float, end: float, line_no: int) -> list[Cue]:
    text = "\n".join(c for c in (clean_caption_text(ln) for ln in lines) if c)
    return [Cue(text, None, start, end, line_no)]


def parse(text: str) -> ParsedTranscript:
    """Parse SubRip text (the cue number line is optional; `.` milliseconds are tolerated)."""
    report = ParseReport()
    cues = parse_cue_blocks(iter_blocks(text), _payload_to_cues, report)
    return ParsedTranscript(format=FORMAT, turns=build_turns(cues), warnings=report.warnings())
