"""Answers about change: what the meetings of a time span changed ("what changed since the
QBR?"), and why a decision was made ("why did we drop Segment?": the reasons said in the
discussion before it). Sentences cite like every offline answer (`compose.Context`).
"""

from __future__ import annotations

import re
from datetime import date

from assistant.answer.cite import SENTENCE, clause
from assistant.answer.compose import (
    Context,
    action_sentence,
    decision_sentence,
    on_topic,
)
from assistant.answer.retrieve import ScoredItem
from assistant.answer.types import Question
from assistant.models import Item, ItemKind, Turn
from assistant.store import asking

# ----------------------------------------------------------------- changes in a time span


_CHANGE_WORDS = {
    "done": "Done",
    "dropped": "Dropped",
    "superseded": "Superseded",
    "resolved": "Settled in the parking lot",
    "revisited": "Raised again",
}


def changes(ctx: Context, q: Question, scored: list[ScoredItem], limit: int = 16) -> list[str]:
    """What the meetings of the span decided, then what they did to earlier items (finished,
    dropped, moved, settled, replaced), then the new actions and snags. Sentences are written
    (and cite) only up to `limit`; the rest is counted."""
    rng = q.time_range
    by_date = sorted(scored, key=lambda s: (s.meeting.date, s.item.id))
    writers: list = [
        (lambda s=s: f"- Decided: {decision_sentence(ctx, s.item)}")
        for s in by_date
        if s.item.kind == ItemKind.decision
    ]
    conn = ctx.retriever.liaison.db.connect()
    for item_id, field, _old, new, meeting_id in asking.tracker_changes(
        conn, rng.since if rng else None, rng.until if rng else None
    ):
        if not ctx.retriever.still_there(meeting_id):
            continue
        try:
            item = ctx.retriever.liaison.item(item_id)
        except Exception:  # noqa: BLE001  deleted meanwhile
            continue
        ev = next((e for e in item.status_evidence if e.meeting_id == meeting_id), None)
        if field == "due" and new:
            writers.append(lambda item=item, mid=meeting_id, new=new: _moved(ctx, item, mid, new))
        elif field == "status" and new in _CHANGE_WORDS and ev is not None:
            writers.append(
                lambda item=item, mid=meeting_id, new=new, ev=ev: (
                    f"- {_CHANGE_WORDS[new]}: {clause(item.text)} ({ctx.meeting(mid).title})"
                    f" [{ctx.book.evidence(ev, item.meeting_id)}]."
                )
            )
    for s in by_date:
        if s.item.kind == ItemKind.action:
            writers.append(lambda s=s: f"- New action: {action_sentence(ctx, s.item)}")
        elif s.item.kind == ItemKind.parking:
            writers.append(lambda s=s: f"- Parked: {clause(s.item.text)} [{ctx.cite(s.item)}].")
    if not writers:
        return []
    span = rng.phrase if rng else "in the meetings"
    lines = [f"What changed {span}:", *(write() for write in writers[:limit])]
    if len(writers) > limit:
        lines.append(f"… and {len(writers) - limit} more (ask about one of them by name).")
    return lines


def _moved(ctx: Context, item: Item, meeting_id: int, new: str) -> str:
    m = ctx.meeting(meeting_id)
    moved = ctx.last_change(item, "due")
    cite = f" [{ctx.book.evidence(moved[1], m.id)}]" if moved else f" [{ctx.cite(item)}]"
    return (
        f"- Moved: {clause(item.text)} is now due {ctx.when(date.fromisoformat(new))}"
        f" ({m.title}){cite}."
    )


# ----------------------------------------------------------------- reasons

_REASON = re.compile(
    r"\b(because|the reason|reasons?|can't|cannot|won't|wouldn't|not something|risk\w*|"
    r"worr\w*|cost\w*|fees?|surcharges?|price\w*|doubl\w*|cheap\w*|expensive|better|worse|"
    r"slow|late|never|unless|off|gap)\b",
    re.I,
)
# A sentence about what someone will do next is a plan, not a reason.
_PLAN = re.compile(r"^\s*(?:and |so |okay,? )?(?:I'll|I will|I talked|I can|we'll|let me)\b", re.I)
_CHANGE_ASKED = re.compile(
    r"\b(drop|dropped|move|moved|switch\w*|change\w*|revers\w*|replac\w*)\b", re.I
)
_CHANGE_SAID = re.compile(
    r"\b(instead|rather than|moves?|moved|switch\w*|replac\w*|revers\w*|no longer|not \w+)\b", re.I
)


def reasons(ctx: Context, q: Question, scored: list[ScoredItem], window: int = 40) -> list[str]:
    """The decision that changed things, then the reasons said in the discussion before it."""
    decided = [s for s in on_topic(scored, 0.6, q) if s.item.kind == ItemKind.decision]
    if not decided:
        return []
    # "Why did we move X": a decision that changed something answers it before one that did not.
    if _CHANGE_ASKED.search(q.text):
        decided.sort(key=lambda s: not _CHANGE_SAID.search(s.item.text))
    # "Why did we drop X": the decision about X that was replaced points at the one that did it.
    anchor = decided[0].item
    for s in decided:
        if s.item.status == "superseded":
            newer = ctx.retriever.superseder(s.item)
            if newer is not None:
                anchor = newer
                break
    turns = ctx.retriever.turns(anchor.meeting_id)
    at = anchor.evidence[0].turn_index
    m = ctx.meeting(anchor.meeting_id)
    terms = {w.lower() for w in re.findall(r"\w+", q.topic + " " + anchor.text) if len(w) > 3}
    picked: list[tuple[float, int, str, Turn]] = []
    decider = anchor.evidence[0].speaker
    for turn in turns:
        if not at - window <= turn.index < at:  # the discussion that led to it
            continue
        for text in (t for t in SENTENCE.split(turn.text) if len(t.split()) >= 4):
            cues = len(_REASON.findall(text))
            overlap = len(terms & {w.lower() for w in re.findall(r"\w+", text)})
            if not (cues or overlap) or _PLAN.match(text):
                continue
            near = 1 - abs(at - turn.index) / (window + 3)
            weight = cues + 0.8 * overlap + 2 * near + (1.0 if turn.speaker == decider else 0.0)
            picked.append((weight, turn.index, text.strip(), turn))
    picked.sort(key=lambda p: -p[0])
    lines = [f"What was decided: {decision_sentence(ctx, anchor)}"]
    if not picked:
        return lines
    lines.append("The reasons given:")
    for _score, _i, text, turn in sorted(picked[:3], key=lambda p: p[1]):
        n = ctx.book.cite(m.id, turn.index, turn.index, turn.speaker, turn.start_s, text)
        lines.append(f'- {turn.speaker or "Someone"}: "{text}" [{n}]')
    return lines
