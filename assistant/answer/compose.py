"""Offline answers, written as sentences chosen by what is asked (`Question.asks`).

- decision: the decision that stands now, when and by whom, what it replaced;
- owner: who, by when, and the status, from the latest meeting that changed them;
- status: yes / no / not yet with the words that said so; or the list of overdue / owed actions;
- list: the open parking lot, each snag once, with its age and the meeting it was last raised in;
- reason: the reasons as said in the discussion that led to the decision;
- changes: what meetings in a time span decided, finished, dropped, moved and settled.

Every sentence ends in the [n] of the words it rests on (`cite.CitationBook`). A writer returns
its lines; `Asker` turns "no lines" into a plain "nothing found".
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from assistant.answer.cite import SENTENCE, CitationBook, clause, day, said, sentence, where_hit
from assistant.answer.retrieve import Passage, Retriever, ScoredItem
from assistant.answer.types import Question
from assistant.models import Evidence, Goal, Item, ItemKind, Meeting
from assistant.store import asking

KIND_NAMES = {"decisions": "decision", "actions": "action item", "parking": "parking-lot snag"}


@dataclass
class Context:
    """What the writers read besides the items: the retriever's lookups and today."""

    book: CitationBook
    retriever: Retriever
    today: date

    def meeting(self, meeting_id: int) -> Meeting:
        return self.retriever.meeting(meeting_id)

    def cite(self, item: Item) -> int:
        return self.book.evidence(item.evidence[0], item.meeting_id)

    def when(self, value: date) -> str:
        return day(value, self.today)

    def last_change(self, item: Item, field: str) -> tuple[Meeting, Evidence] | None:
        """The meeting that last changed `field` of `item`, and its words."""
        conn = self.retriever.liaison.db.connect()
        row = asking.last_tracker_change(conn, item.id, field)
        if row is None or not self.retriever.still_there(row["meeting_id"]):
            return None
        evidence = [Evidence.model_validate(e) for e in json.loads(row["evidence"] or "[]")]
        if not evidence:
            return None
        return self.meeting(row["meeting_id"]), evidence[0]


def about(q: Question) -> str:
    parts = []
    if q.topic:
        parts.append(f'about "{q.topic}"')
    if q.time_range:
        parts.append(q.time_range.phrase)
    return (" " + " ".join(parts)) if parts else ""


def nothing_found(q: Question, kind: str | None = None) -> str:
    """The plain answer when nothing relevant exists."""
    if kind:
        return f"I found no {KIND_NAMES.get(kind, kind)}{about(q)} in the meetings."
    subject = f'"{q.topic}"' if q.topic else "that"
    when = f" {q.time_range.phrase}" if q.time_range else ""
    who = f" from {', '.join(q.speakers)}" if q.speakers else ""
    extra = "".join(f" ({note})" for note in q.notes)
    return f"I found nothing in the meetings about {subject}{who}{when}.{extra}"


def names_in(topic: str) -> list[str]:
    """The names typed in the topic: products, vendors, acronyms ("Amperity", "CDP", "SSO")."""
    return [w for w in topic.split() if w[:1].isupper() or (len(w) > 1 and w.isupper())]


def _says(item: Item, name: str) -> bool:
    return bool(re.search(rf"(?<!\w){re.escape(name)}", item.text, re.I))


def on_topic(
    scored: list[ScoredItem], share: float = 0.6, q: Question | None = None
) -> list[ScoredItem]:
    """The items about the asked topic: those scoring near the best one. An item that only
    brushes the topic (the budget split in an answer about the CDP) stays out. Among them, the
    items whose own words name what the question names come first ("the Amperity review"
    before the Tealium review)."""
    if not scored:
        return []
    best = max(s.score for s in scored)
    found = [s for s in scored if s.score >= share * best]
    names = names_in(q.topic) if q is not None else []
    if names:
        found.sort(key=lambda s: -sum(_says(s.item, n) for n in names))
    return found


# ----------------------------------------------------------------- decisions


def _standing_head(item: Item, superseder: Callable[[Item], Item | None]) -> Item:
    """The decision that stands at the end of `item`'s chain of replacements."""
    seen = {item.id}
    while item.status == "superseded":
        newer = superseder(item)
        if newer is None or newer.id in seen:
            break
        seen.add(newer.id)
        item = newer
    return item


def _replaced(ctx: Context, item: Item) -> list[Item]:
    conn = ctx.retriever.liaison.db.connect()
    out = []
    for old_id in asking.replaced_by(conn, item.id):
        try:
            old = ctx.retriever.liaison.item(old_id)
        except Exception:  # noqa: BLE001  deleted with its meeting meanwhile
            continue
        if old.kind == ItemKind.decision and ctx.retriever.still_there(old.meeting_id):
            out.append(old)
    return out


def decision_sentence(ctx: Context, item: Item) -> str:
    """ "X — decided on 19 Oct in the weekly sync (Margot Ellison) [1]; it replaced Y, decided
    on 5 Oct [2]." """
    m = ctx.meeting(item.meeting_id)
    n = ctx.cite(item)
    who = item.evidence[0].speaker
    text = f"{clause(item.text)}{_context(ctx, item)} — decided on {ctx.when(m.date)} in {m.title}"
    text += f" ({who}) [{n}]" if who else f" [{n}]"
    if item.status == "superseded":
        text += "; it was superseded later"
    olds = _replaced(ctx, item)
    for old in olds[:2]:
        om = ctx.meeting(old.meeting_id)
        text += (
            f'; it replaced "{clause(old.text)}", decided on {ctx.when(om.date)} [{ctx.cite(old)}]'
        )
    return text + "."


def decisions(ctx: Context, q: Question, scored: list[ScoredItem]) -> list[str]:
    """The standing decision first, with what it replaced; then other decisions on the topic."""
    superseder = ctx.retriever.superseder
    heads: list[Item] = []
    scored = [s for s in scored if s.item.kind == ItemKind.decision]
    for s in on_topic(scored, 0.75, q) if q.topic else scored:
        head = _standing_head(s.item, superseder)
        if head.id not in {h.id for h in heads}:
            heads.append(head)
    # Newest first: of two standing decisions on one topic, the later one is what holds now.
    heads.sort(key=lambda i: (-ctx.meeting(i.meeting_id).date.toordinal(), i.id))
    if not heads:
        return []
    first, rest = heads[0], heads[1:6]
    lines = [decision_sentence(ctx, first)]
    if rest:
        lines.append(f"Also decided{about(q)}:")
        lines += [f"- {decision_sentence(ctx, h)}" for h in rest]
    return lines


# ----------------------------------------------------------------- actions


def _status_clause(ctx: Context, item: Item) -> str:
    """ "open", "overdue by 3 days", "reported done in the weekly sync on 19 Oct [4]" …"""
    if item.status in ("done", "dropped", "resolved", "superseded") and item.status_evidence:
        ev = item.status_evidence[0]
        m = ctx.meeting(ev.meeting_id or item.meeting_id)
        n = ctx.book.evidence(ev, item.meeting_id)
        verb = {"done": "reported done", "resolved": "settled"}.get(item.status, item.status)
        return f"{verb} in {m.title} on {ctx.when(m.date)} [{n}]"
    if item.status == "open" and item.due and item.due < ctx.today:
        return f"open and overdue by {(ctx.today - item.due).days} days"
    return item.status


def what_of(item: Item) -> str:
    """The item's text without the owner's name in front or the due date behind."""
    text = item.text
    if item.owner and text.startswith(f"{item.owner}:"):
        text = text[len(item.owner) + 1 :]
    text = re.sub(r"\s+—\s+due \d{4}-\d{2}-\d{2}\s*$", "", text)
    return clause(text) or clause(item.text)


def action_sentence(ctx: Context, item: Item, lead: bool = False, with_owner: bool = True) -> str:
    """Who, what, by when and the status, each from the meeting that last said it."""
    n = ctx.cite(item)
    what = what_of(item)
    if lead:
        text = f"{item.owner} is doing it: {what}" if item.owner else f"No owner was named: {what}"
    else:
        text = f"{item.owner or 'No owner'}: {what}" if with_owner else what
    text += f" [{n}]"
    if item.due:
        text += f"; due {ctx.when(item.due)}"
        moved = ctx.last_change(item, "due")
        if moved is not None:
            m, ev = moved
            text += f" (moved in {m.title} on {ctx.when(m.date)} [{ctx.book.evidence(ev, m.id)}])"
        elif item.due_phrase:
            text += f' ("{item.due_phrase}")'
    elif item.due_phrase:
        text += f'; no date yet ("{item.due_phrase}")'
    else:
        text += "; no due date was set"
    return f"{text}; {_status_clause(ctx, item)}."


def preferred(
    scored: list[ScoredItem], order: tuple[ItemKind, ...], q: Question
) -> list[ScoredItem]:
    """The on-topic items, those of the first kind of `order` that has one first: a question
    about who does something is answered by an action before a decision that mentions it."""
    found = on_topic(scored, 0.8, q)
    rank = {kind: n for n, kind in enumerate(order)}
    return sorted(found, key=lambda s: rank.get(s.item.kind, len(order)))


def owner(ctx: Context, q: Question, scored: list[ScoredItem]) -> list[str]:
    """The best-matching action with owner, date and status; a decision when that is what the
    question finds ("when does the pilot go live?")."""
    found = preferred(scored, (ItemKind.action, ItemKind.decision), q)
    if not found:
        return []
    best = found[0].item
    if best.kind == ItemKind.decision:
        return decisions(ctx, q, found)
    lines = [action_sentence(ctx, best, lead=True)]
    others = [s.item for s in found[1:4] if s.item.kind == ItemKind.action]
    if others:
        lines.append("Related actions:")
        lines += [f"- {action_sentence(ctx, i)}" for i in others]
    return lines


def actions_list(ctx: Context, q: Question, scored: list[ScoredItem], teams: dict) -> list[str]:
    """Actions grouped by owner ("what does IT owe marketing", "what's overdue")."""
    if not scored:
        return []
    if q.team or q.owner:
        who = q.owner or q.team.value  # type: ignore[union-attr]
        whom = q.for_person or (q.for_team.value if q.for_team else None)
        head = f"{q.status.capitalize()} actions owed by {who}" if q.status else f"Actions of {who}"
        head += f" to {whom}" if whom else ""
    else:
        head = "Overdue actions" if q.overdue else "Actions"
    lines = [f"{head}{about(q)}: {len(scored)}."]
    by_owner: dict[str, list[Item]] = {}
    for s in scored:
        by_owner.setdefault(s.item.owner or "no owner", []).append(s.item)
    for name, group in by_owner.items():
        team = teams.get(name) or group[0].team
        label = name if team in (None, "unknown") else f"{name} ({getattr(team, 'value', team)})"
        lines.append(f"{label}:")
        for item in sorted(group, key=lambda i: (i.due or date.max, i.id)):
            lines.append(f"  - {action_sentence(ctx, item, with_owner=False)}")
    return lines


def status(ctx: Context, q: Question, scored: list[ScoredItem], teams: dict) -> list[str]:
    """Yes / no / not yet for one item; or the list of overdue / owed actions."""
    if not q.topic or q.overdue or q.team or q.owner:
        return actions_list(ctx, q, scored, teams)
    found = preferred(scored, (ItemKind.action, ItemKind.parking, ItemKind.decision), q)
    if not found:
        return []
    item = found[0].item
    if item.kind == ItemKind.decision:
        return decisions(ctx, q, found)
    n = ctx.cite(item)
    what = what_of(item)
    if item.status == "done":
        head = f"Yes, it is done: {what} [{n}] was {_status_clause(ctx, item)}."
    elif item.status == "dropped":
        head = f"No, it was dropped: {what} [{n}] was {_status_clause(ctx, item)}."
    elif item.status == "resolved":
        head = f"It is settled: {what} [{n}] was {_status_clause(ctx, item)}."
    elif item.kind == ItemKind.parking:
        head = f"Not yet: {what} is still {item.status} [{n}]."
    else:
        return [f"Not yet: {action_sentence(ctx, item)}"]
    return [head]


# ----------------------------------------------------------------- parking lot


_VAGUE = re.compile(r"^(?:it|that|this|them|those|not today|let's|lets|agreed|okay|yes)\b", re.I)


def _context(ctx: Context, item: Item) -> str:
    """For a snag whose words do not say what it is ("It until December", "Not today, it"):
    the sentence before it that does, quoted and cited."""
    content = len(re.findall(r"\w{4,}", item.text))
    pronoun = re.search(r"\b(it|that|this|them)\b", item.text, re.I)
    if not _VAGUE.match(item.text.strip()) and not (pronoun and content < 4):
        return ""
    at = item.evidence[0].turn_index
    for turn in reversed([t for t in ctx.retriever.turns(item.meeting_id) if t.index < at]):
        sentences = [x for x in SENTENCE.split(turn.text) if len(x.split()) >= 5]
        if sentences:
            quote = sentences[-1].strip()
            n = ctx.book.cite(item.meeting_id, turn.index, turn.index, turn.speaker,
                              turn.start_s, quote)  # fmt: skip
            return f' (about: "{quote}" [{n}])'
        if at - turn.index > 3:
            break
    return ""


def parking(ctx: Context, q: Question, scored: list[ScoredItem]) -> list[str]:
    """Each snag once, oldest first, with its age and the meeting it was last raised in."""
    from assistant.digest.tracked import once  # the digest's rule for "the same snag"

    by_id = {s.item.id: s for s in scored}
    ordered = sorted(scored, key=lambda s: (s.meeting.date, s.item.id))
    rows = [by_id[i.id] for i, _ in once([(s.item, 0) for s in ordered])]
    if not rows:
        return []
    open_only = all(s.item.status in ("parked", "revisited") for s in rows)
    what = "open in the parking lot" if open_only else f"in the parking lot{about(q)}"
    lines = [f"{len(rows)} {'snag is' if len(rows) == 1 else 'snags are'} {what}:"]
    for s in rows:
        item = s.item
        n = ctx.cite(item)
        age = (ctx.today - s.meeting.date).days
        text = (
            f"- {clause(item.text)}{_context(ctx, item)}: parked on {ctx.when(s.meeting.date)}"
            f" in {s.meeting.title}, {age} days ago [{n}]"
        )
        if item.status_evidence:
            ev = item.status_evidence[-1]
            m = ctx.meeting(ev.meeting_id or item.meeting_id)
            later = ctx.book.evidence(ev, item.meeting_id)
            verb = "last raised" if item.status == "revisited" else item.status
            text += f"; {verb} on {ctx.when(m.date)} in {m.title} [{later}]"
        lines.append(text + ".")
    return lines


# ----------------------------------------------------------------- general and goals


def goal_lines(goal: Goal) -> list[str]:
    """The goal as the register has it (not from a meeting, so nothing to cite)."""
    lines = [f"Goal {goal.id}: {goal.title} (from the goals register)."]
    for kpi in goal.kpis:
        unit = kpi.unit if kpi.unit in ("%",) else f" {kpi.unit}" if kpi.unit else ""
        cur = f"{kpi.current:g}{unit}" if kpi.current is not None else "unknown"
        tgt = f"{kpi.target:g}{unit}" if kpi.target is not None else "none"
        lines.append(f"- KPI {kpi.name}: {cur} (target {tgt}).")
    for ms in goal.milestones:
        state = "done" if ms.done else "open"
        lines.append(f"- Milestone {ms.title}: {state}{f', {ms.date}' if ms.date else ''}.")
    return lines


def item_lines(ctx: Context, scored: list[ScoredItem]) -> list[str]:
    """One sentence per item of any kind (for goal and general answers), newest first."""
    lines = []
    for s in sorted(scored, key=lambda s: (-s.meeting.date.toordinal(), s.item.id)):
        item = s.item
        if item.kind == ItemKind.action:
            lines.append(f"- Action: {action_sentence(ctx, item)}")
        elif item.kind == ItemKind.decision:
            lines.append(f"- Decision ({item.status}): {decision_sentence(ctx, item)}")
        else:
            n = ctx.cite(item)
            lines.append(
                f"- Parking lot ({item.status}): {sentence(item.text)[:-1]}"
                f" {said(item.evidence[0], s.meeting, n, item.text)}."
            )
    return lines


def passages(ctx: Context, q: Question, found: list[Passage], head: str = "") -> list[str]:
    """The best passages as quotes with speakers, in meeting order."""
    lines = [head or f"What was said{about(q)}:"]
    seen: set[tuple[int, str]] = set()
    for p in sorted(found, key=lambda p: (p.hit.date, p.hit.meeting_id, p.turn.index)):
        key = (p.hit.meeting_id, p.quote)
        if key in seen:
            continue
        seen.add(key)
        n = ctx.book.passage(p)
        lines.append(f'- {p.turn.speaker or "Someone"} in {where_hit(p)}: "{p.quote}" [{n}]')
    return lines
