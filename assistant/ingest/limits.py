"""What one transcript may cost, inside the upload size limit.

A 20 MB upload can still be 3 MB on one line, 20,000 one-word turns, or a 0.7 MB .docx that
inflates to 600 MB. These bounds are far above any real meeting (a full-day workshop has a few
thousand turns and under 100,000 words) and keep parsing, embedding and extraction of one file
to seconds and a bounded amount of memory.
"""

from __future__ import annotations

from assistant.errors import TranscriptTooLarge
from assistant.models import Turn

MAX_LINE_CHARS = 500_000  # one caption or paragraph; JSON is not line-based and is exempt
MAX_WORDS = 200_000  # about 22 hours of speech at 150 words a minute
MAX_TURNS = 10_000  # an 8-hour day with a new speaker every 3 seconds
MAX_CHUNKS = 4_000  # search windows of one meeting (each is embedded)
MAX_DOCX_PART_BYTES = 25_000_000  # word/document.xml, uncompressed
MAX_DOCX_TOTAL_BYTES = 60_000_000  # every part of the package, uncompressed


def check_lines(text: str) -> None:
    """Refuse text with a line longer than MAX_LINE_CHARS (naming the line)."""
    if len(text) <= MAX_LINE_CHARS:
        return
    for number, line in enumerate(text.split("\n"), start=1):
        if len(line) > MAX_LINE_CHARS:
            raise TranscriptTooLarge(
                f"line {number} is {len(line):,} characters long; the limit is "
                f"{MAX_LINE_CHARS:,} (is this really a transcript?)",
                line=number,
            )


def check_turns(turns: list[Turn]) -> None:
    """Refuse a transcript with more than MAX_TURNS turns or MAX_WORDS words."""
    if len(turns) > MAX_TURNS:
        raise TranscriptTooLarge(
            f"the transcript has {len(turns):,} turns; the limit is {MAX_TURNS:,} per meeting"
        )
    words = sum(len(t.text.split()) for t in turns)
    if words > MAX_WORDS:
        raise TranscriptTooLarge(
            f"the transcript has {words:,} words; the limit is {MAX_WORDS:,} per meeting "
            "(about 22 hours of speech)"
        )


def check_chunks(count: int) -> None:
    """Refuse a transcript that would make more than MAX_CHUNKS search windows."""
    if count > MAX_CHUNKS:
        raise TranscriptTooLarge(
            f"the transcript makes {count:,} search chunks; the limit is {MAX_CHUNKS:,} per meeting"
        )
