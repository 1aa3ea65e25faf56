"""Chunking: windows of consecutive speaker turns, the unit of search.

A window grows turn by turn until it holds about `target_words` words, then the next window starts
`overlap_turns` turns back so that an answer spanning a boundary is still found whole. A turn is
never cut unless it alone is much longer than a window; then it is split at sentence ends and each
piece still points at that one turn. Sizes count each character of Chinese, Japanese or Thai
as a word (unspaced.py), so such text is cut into windows of about `target_words` characters.
"""

from __future__ import annotations

import re

from assistant import unspaced
from assistant.models import Chunk, Turn

# After `.`, `!`, `?` and a space; after `。`, `！`, `？` whether or not a space follows.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|(?<=[。！？])\s*")


def _render(turn: Turn, text: str | None = None) -> str:
    body = turn.text if text is None else text
    return f"{turn.speaker}: {body}" if turn.speaker else body


def _split_long(turn: Turn, target: int) -> list[str]:
    """Split one very long turn into pieces of about `target` words at sentence ends."""
    pieces: list[str] = []
    current = ""
    count = 0
    for sentence in _SENTENCE_END.split(turn.text):
        if not sentence:
            continue
        words = unspaced.size(sentence)
        if current and count + words > target:
            pieces.append(current)
            current, count = "", 0
        current = unspaced.join(current, sentence)
        count += words
    if current:
        pieces.append(current)
    # A "sentence" with no punctuation can still be huge: cut it by words (or characters).
    return [part for piece in pieces for part in unspaced.pieces(piece, target * 2)]


def chunk_turns(
    meeting_id: int, turns: list[Turn], target_words: int = 120, overlap_turns: int = 1
) -> list[Chunk]:
    """Cut a meeting's turns into overlapping windows of about `target_words` words."""
    chunks: list[Chunk] = []

    def emit(window: list[Turn], texts: list[str]) -> None:
        speakers: list[str] = []
        for turn in window:
            if turn.speaker and turn.speaker not in speakers:
                speakers.append(turn.speaker)
        starts = [t.start_s for t in window if t.start_s is not None]
        ends = [t.end_s for t in window if t.end_s is not None]
        chunks.append(
            Chunk(
                meeting_id=meeting_id,
                turn_start=window[0].index,
                turn_end=window[-1].index,
                start_s=min(starts) if starts else None,
                end_s=max(ends) if ends else None,
                speakers=speakers,
                text="\n".join(texts),
            )
        )

    i = 0
    n = len(turns)
    while i < n:
        turn = turns[i]
        if unspaced.size(turn.text) > 2 * target_words:
            for piece in _split_long(turn, target_words):
                emit([turn], [_render(turn, piece)])
            i += 1
            continue
        window: list[Turn] = []
        count, j = 0, i
        while j < n:
            words = unspaced.size(turns[j].text)
            if window and (count + words > target_words or words > 2 * target_words):
                break
            window.append(turns[j])
            count += words
            j += 1
        emit(window, [_render(t) for t in window])
        if j >= n:
            break
        # Step back for overlap, but always make progress.
        i = max(j - overlap_turns, i + 1)
    return chunks
