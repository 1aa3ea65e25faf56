"""Token-budget splitting of long transcripts, and merging of the items found in the pieces.

Pieces overlap by a few turns so an item said across a boundary is seen whole at least once;
the price is that items in the overlap come back twice, which `merge_items` folds together.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence

from rapidfuzz import fuzz

from assistant.models import DraftItem, Team, Turn

CHARS_PER_TOKEN = 4  # a rough, model-independent estimate; good enough for budgeting
SAME_WORDS = 95.0  # word-level similarity: near-identical texts are one item wherever they cite
SIMILAR_TEXT = 70.0  # character-level: merely similar texts are one item if they share a turn
MAX_EVIDENCE = 5


def estimate_tokens(text: str) -> int:
    """Rough token count of `text` (about four characters per token)."""
    return math.ceil(len(text) / CHARS_PER_TOKEN)


def split_turns(
    turns: Sequence[Turn],
    budget_tokens: int,
    *,
    overlap_turns: int = 2,
    render: Callable[[Turn], str] = lambda turn: turn.text,
) -> list[list[Turn]]:
    """Cut `turns` into consecutive pieces of at most `budget_tokens` (as `render` shows them).

    Consecutive pieces share `overlap_turns` turns. A single turn longer than the budget gets
    a piece of its own rather than being cut mid-sentence.
    """
    if not turns:
        return []
    costs = [estimate_tokens(render(turn)) + 1 for turn in turns]  # +1: the newline
    pieces: list[list[Turn]] = []
    start = 0
    while start < len(turns):
        end, used = start, 0
        while end < len(turns) and (end == start or used + costs[end] <= budget_tokens):
            used += costs[end]
            end += 1
        pieces.append(list(turns[start:end]))
        if end >= len(turns):
            break
        # Step back for the overlap, but always move forward by at least one turn.
        start = max(start + 1, end - overlap_turns)
    return pieces


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


def _same_item(a: DraftItem, b: DraftItem) -> bool:
    if a.kind != b.kind:
        return False
    ta, tb = _norm(a.text), _norm(b.text)
    # Compared word by word: "own the alpha stream" and "own the papa stream" are close as
    # characters but are different items.
    if fuzz.ratio(ta.split(), tb.split()) >= SAME_WORDS:
        return True
    shared = {e.turn_index for e in a.evidence} & {e.turn_index for e in b.evidence}
    return bool(shared) and fuzz.token_set_ratio(ta, tb) >= SIMILAR_TEXT


def _combine(keep: DraftItem, other: DraftItem) -> DraftItem:
    """`keep` (the more confident) with evidence unioned and blanks filled from `other`."""
    evidence = list(keep.evidence)
    cited = {(e.turn_index, e.quote) for e in evidence}
    for entry in other.evidence:
        if (entry.turn_index, entry.quote) not in cited:
            evidence.append(entry)
            cited.add((entry.turn_index, entry.quote))
    evidence.sort(key=lambda e: e.turn_index)
    return keep.model_copy(
        update={
            "evidence": evidence[:MAX_EVIDENCE],
            "owner": keep.owner or other.owner,
            "due": keep.due or other.due,
            "goal_id": keep.goal_id or other.goal_id,
            "team": keep.team if keep.team != Team.unknown else other.team,
        }
    )


def merge_items(batches: Sequence[Sequence[DraftItem]]) -> list[DraftItem]:
    """Flatten the items of several pieces, folding duplicates together.

    Two items are duplicates when they are of the same kind and their texts are
    near-identical, or similar and citing a common turn. Order follows first evidence turn.
    """
    merged: list[DraftItem] = []
    for batch in batches:
        for item in batch:
            for i, existing in enumerate(merged):
                if _same_item(existing, item):
                    first, second = (
                        (existing, item)
                        if existing.confidence >= item.confidence
                        else (item, existing)
                    )
                    merged[i] = _combine(first, second)
                    break
            else:
                merged.append(item)
    merged.sort(key=lambda item: min(e.turn_index for e in item.evidence))
    return merged
