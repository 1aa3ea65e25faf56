"""WebVTT: Zoom (`Name: text` in the cue), Teams (`<v Name>text</v>`), YouTube auto-captions
(rolling cues with `<00:00:01.600><c> word</c>` tags) and speakerless captions.

A hand parser rather than webvtt-py: webvtt-py silently skips a cue whose timing is broken and
cannot say on which line a problem sits, and we must report both.
"""

from __future__ import annotations

import re

from assistant.errors import MalformedTranscript
from assistant.ingest.captions import iter_blocks, parse_cue_blocks
from assistant.ingest.report import ParseReport
from assistant.ingest.turns import Cue, build_turns, clean_caption_text
from assistant.models import ParsedTranscript

FORMAT = "vtt"
_SKIPPED_BLOCKS = ("NOTE", "STYLE", "REGION")
# `<v Name>`, `<v.loud Name>`, `<v Name>` without a closing tag; the text runs to `</v>` or the
# next voice tag. `[^<>]` rather than `[^>]`: on a line of many `<` and no `>` the match fails
# at the next `<` instead of rescanning the rest of the line from every `<`.
_VOICE = re.compile(r"<v(?:\.[\w.-]{1,40})?(?:\s+([^<>]*))?>", re.I)


def _clean_lines(text: str) -> str:
    """Each caption line cleaned, one per line (rolling captions are compared line by line)."""
    return "\n".join(c for c in (clean_caption_text(ln) for ln in text.split("\n")) if c)


def _payload_to_cues(lines: list[str], start: float, end: float, line_no: int) -> list[Cue]:
    payload = "\n".join(lines)
    voices = list(_VOICE.finditer(payload))
    if not voices:
        return [Cue(_clean_lines(payload), None, start, end, line_no)]
    cues = []
    before = _clean_lines(payload[: voices[0].start()])
    if before:
        cues.append(Cue(before, None, start, end, line_no))
    for i, m in enumerate(voices):
        stop = voices[i + 1].start() if i + 1 < len(voices) else len(payload)
        text = _clean_lines(payload[m.end() : stop])
        speaker = " ".join((m.group(1) or "").split()) or None
        cues.append(Cue(text, speaker, start, end, line_no))
    return cues


def parse(text: str) -> ParsedTranscript:
    """Parse WebVTT text. The `WEBVTT` header may be missing when the caller already decided
    by other evidence (timing lines in a `.vtt` file) that this is WebVTT."""
    blocks = list(iter_blocks(text))
    title = None
    if blocks and blocks[0].lines[0].startswith("WEBVTT"):
        header = blocks.pop(0)
        rest = header.lines[0][len("WEBVTT") :]
        if rest and not rest[0].isspace():
            raise MalformedTranscript("the WEBVTT header must be followed by a space", line=1)
        title = rest.strip(" -\t") or None
        if len(header.lines) > 1 and "-->" in header.lines[1]:
            # No blank line after the header: the first cue is glued to it.
            header.lines.pop(0)
            header.line += 1
            blocks.insert(0, header)
    cue_blocks = (
        b
        for b in blocks
        if not any(b.lines[0] == k or b.lines[0].startswith(k + " ") for k in _SKIPPED_BLOCKS)
    )
    report = ParseReport()
    cues = parse_cue_blocks(cue_blocks, _payload_to_cues, report)
    return ParsedTranscript(
        format=FORMAT, turns=build_turns(cues), title=title, warnings=report.warnings()
    )
