"""Cross-meeting state: actions reported done, parked snags revisited or resolved, decisions
superseded. Runs inside the transaction that stores a new meeting, so it sees the meeting whole.

Matching is by meaning (cosine of MiniLM vectors of item texts and of what was said), gated by
cue words so that a passing mention does not close an action.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass

import numpy as np

from assistant.embed import Embedder
from assistant.models import Chunk, Evidence, Item, ItemKind, Meeting, Turn
from assistant.store import items as item_store

_DONE_CUE = re.compile(
    r"\b(is|are|was|were|'s|has been|have been|got)\s+(now\s+)?(finished|done|complete|completed|"
    r"live|shipped|delivered|sorted|wrapped up|signed|closed|merged|deployed|in place)\b|"
    r"\b(finished|completed|shipped|delivered|deployed|launched|sent|wrapped up)\b",
    re.IGNORECASE,
)
# A later decision that changes an earlier one says so ("instead", "after all", "we're moving the
# date"); a restatement ("it's sixty-forty, as we decided") is as close in meaning, or closer, and
# must not supersede anything. So a change cue is required, not just similarity.
_CHANGE_CUE = re.compile(
    r"\b(instead|after all|revers\w*|chang\w*|no longer|rather than|switch\w*|replac\w*|"
    r"overturn\w*|scrap\w*|drop\w*|move the date|moved the date|postpon\w*|not going with)\b",
    re.IGNORECASE,
)
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


@dataclass
class TrackThresholds:
    done: float = 0.55
    revisit: float = 0.55
    resolve: float = 0.55
    supersede: float = 0.4  # and the new decision must say it changes something


def _sentences(turns: list[Turn]) -> list[tuple[Turn, str]]:
    return [(t, s) for t in turns for s in _SENTENCE.split(t.text) if s.strip()]


def _evidence(turn: Turn, quote: str, meeting_id: int) -> Evidence:
    return Evidence(
        meeting_id=meeting_id,
        turn_index=turn.index,
        speaker=turn.speaker,
        start_s=turn.start_s,
        end_s=turn.end_s,
        quote=quote.strip(),
    )


def _best_turn(text: str, chunk: Chunk, turns: list[Turn]) -> Turn:
    """The turn of a chunk sharing most words with `text`."""
    words = set(re.findall(r"[a-z]{3,}", text.lower()))
    span = [t for t in turns if chunk.turn_start <= t.index <= chunk.turn_end] or turns[:1]
    return max(span, key=lambda t: len(words & set(re.findall(r"[a-z]{3,}", t.text.lower()))))


class Tracker:
    def __init__(self, embedder: Embedder, thresholds: TrackThresholds | None = None):
        self.embedder = embedder
        self.t = thresholds or TrackThresholds()

    def update(
        self,
        conn: sqlite3.Connection,
        meeting: Meeting,
        turns: list[Turn],
        new_items: list[tuple[Item, np.ndarray]],
        chunks: list[Chunk],
        chunk_vectors: np.ndarray,
    ) -> list[str]:
        """Apply what the new meeting says to earlier items; return a log of the changes."""
        log: list[str] = []
        earlier = {
            kind: [
                (item, vec)
                for item, vec in item_store.item_vectors(conn, kind)
                if item.meeting_id != meeting.id
                and item_store.meeting_date_of(conn, item) <= meeting.date
            ]
            for kind in ItemKind
        }
        new_decisions = [(i, v) for i, v in new_items if i.kind == ItemKind.decision]

        # Actions reported done: sentences with a completion cue, close in meaning to the action.
        open_actions = [(i, v) for i, v in earlier[ItemKind.action] if i.status == "open"]
        if open_actions:
            done_sentences = [(t, s) for t, s in _sentences(turns) if _DONE_CUE.search(s)]
            if done_sentences:
                vecs = self.embedder.embed_batch([s for _, s in done_sentences])
                for item, vec in open_actions:
                    sims = vecs @ vec
                    best = int(np.argmax(sims))
                    if sims[best] >= self.t.done:
                        turn, sentence = done_sentences[best]
                        item_store.link(
                            conn,
                            item.id,
                            status="done",
                            related_item_id=None,
                            evidence=[_evidence(turn, sentence, meeting.id)],
                        )
                        log.append(f"action {item.id} done")

        # Parking lot: resolved by a new decision, else revisited when discussed again.
        for item, vec in earlier[ItemKind.parking]:
            if item.status == "resolved":
                continue
            decision = max(new_decisions, key=lambda d: float(d[1] @ vec), default=None)
            if decision is not None and float(decision[1] @ vec) >= self.t.resolve:
                item_store.link(
                    conn,
                    item.id,
                    status="resolved",
                    related_item_id=decision[0].id,
                    evidence=decision[0].evidence[:1],
                )
                log.append(f"parking {item.id} resolved by decision {decision[0].id}")
                continue
            if len(chunk_vectors):
                sims = chunk_vectors @ vec
                best = int(np.argmax(sims))
                if sims[best] >= self.t.revisit and item.status == "parked":
                    turn = _best_turn(item.text, chunks[best], turns)
                    item_store.link(
                        conn,
                        item.id,
                        status="revisited",
                        related_item_id=None,
                        evidence=[_evidence(turn, turn.text, meeting.id)],
                    )
                    log.append(f"parking {item.id} revisited")

        # Decisions: a later decision on the same topic that differs supersedes the earlier one.
        for item, vec in earlier[ItemKind.decision]:
            if item.status != "standing":
                continue
            for new, new_vec in new_decisions:
                sim = float(new_vec @ vec)
                # The decision's own words: its text and first quote (the turn that says it),
                # not the supporting turns, which may be about something else.
                words = " ".join([new.text, new.evidence[0].quote])
                if sim >= self.t.supersede and _CHANGE_CUE.search(words):
                    item_store.link(
                        conn,
                        item.id,
                        status="superseded",
                        related_item_id=new.id,
                        evidence=new.evidence[:1],
                    )
                    log.append(f"decision {item.id} superseded by {new.id}")
                    break
        return log
