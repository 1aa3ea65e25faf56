"""Compose an answer without an LLM: readable lines, each citing the words it rests on as [n]."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from assistant.askparts.retrieve import Passage, ScoredItem
from assistant.askparts.types import Citation, Question
from assistant.models import Evidence, Goal, Item, Meeting


def where(meeting: Meeting) -> str:
    """ "Weekly sync, 2026-10-06", without repeating a date the title already has."""
    day = meeting.date.isoformat()
    return meeting.title if day in meeting.title else f"{meeting.title}, {day}"


class CitationBook:
    """Numbers sources in the order they are first cited; the same words get the same number."""

    def __init__(self, meeting: Callable[[int], Meeting]):
        self._meeting = meeting
        self.citations: list[Citation] = []
        self._seen: dict[tuple, int] = {}

    def cite(
        self,
        meeting_id: int,
        turn_start: int,
        turn_end: int,
        speaker: str | None,
        start_s: float | None,
        quote: str,
    ) -> int:
        key = (meeting_id, turn_start, turn_end, quote)
        if key in self._seen:
            return self._seen[key]
        meeting = self._meeting(meeting_id)
        n = len(self.citations) + 1
        self.citations.append(
            Citation(
                n=n,
                meeting_id=meeting_id,
                title=meeting.title,
                date=meeting.date,
                turn_start=turn_start,
                turn_end=turn_end,
                start_s=start_s,
                speaker=speaker,
                quote=quote,
            )
        )
        self._seen[key] = n
        return n

    def evidence(self, ev: Evidence, meeting_id: int) -> int:
        mid = ev.meeting_id or meeting_id
        return self.cite(mid, ev.turn_index, ev.turn_index, ev.speaker, ev.start_s, ev.quote)

    def passage(self, p: Passage) -> int:
        return self.cite(
            p.hit.meeting_id, p.turn.index, p.turn.index, p.turn.speaker, p.turn.start_s, p.quote
        )


def sentence(text: str) -> str:
    """`text` ending in exactly one full stop (item texts may or may not end in one)."""
    return text.strip().rstrip(".!?;:, ") + "."


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def _said(ev: Evidence, meeting: Meeting, n: int, text: str = "") -> str:
    """Who said it, where, and the words — unless the item's text already is those words (the
    offline extractor's texts are the cleaned sentence), which would read twice."""
    who = ev.speaker or "Someone"
    quote, told = _words(ev.quote), _words(text)
    if (
        told
        and set(told) >= set(quote) - {"um", "uh", "okay", "so"}
        and len(quote) <= 1.3 * len(told)
    ):
        return f"({who}, {where(meeting)}) [{n}]"
    return f'{who} in {where(meeting)}: "{ev.quote}" [{n}]'


def about(q: Question) -> str:
    parts = []
    if q.topic:
        parts.append(f'about "{q.topic}"')
    if q.time_range:
        parts.append(q.time_range.phrase)
    return (" " + " ".join(parts)) if parts else ""


def nothing_found(q: Question) -> str:
    """The plain answer when nothing relevant exists."""
    subject = f'"{q.topic}"' if q.topic else "that"
    when = f" {q.time_range.phrase}" if q.time_range else ""
    who = f" from {', '.join(q.speakers)}" if q.speakers else ""
    extra = "".join(f" ({note})" for note in q.notes)
    return f"I found nothing in the meetings about {subject}{who}{when}.{extra}"


def decisions(
    q: Question,
    scored: list[ScoredItem],
    book: CitationBook,
    superseder: Callable[[Item], Item | None],
    meeting: Callable[[int], Meeting],
) -> list[str]:
    """Decisions newest first; which stand, which were superseded and by what."""
    shown = {s.item.id for s in scored}
    rows = [(s.item, s.meeting) for s in scored]
    for item, _ in list(rows):  # the decision that replaced one must be shown beside it
        newer = superseder(item)
        if newer is not None and newer.id not in shown:
            rows.append((newer, meeting(newer.meeting_id)))
            shown.add(newer.id)
    rows.sort(key=lambda r: (-r[1].date.toordinal(), -r[0].id))
    lines = [f"Decisions{about(q)}, newest first:"]
    for item, m in rows:
        n = book.evidence(item.evidence[0], item.meeting_id)
        said = _said(item.evidence[0], m, n, item.text)
        if item.status == "superseded":
            newer = superseder(item)
            if newer is not None:
                newer_n = book.evidence(newer.evidence[0], newer.meeting_id)
                newer_m = meeting(newer.meeting_id)
                lines.append(
                    f'- Superseded on {newer_m.date} by "{newer.text}" [{newer_n}]: '
                    f"{sentence(item.text)} {said}"
                )
                continue
            lines.append(f"- Superseded: {sentence(item.text)} {said}")
        else:
            lines.append(f"- Stands: {sentence(item.text)} {said}")
    return lines


def _due(item: Item, today: date) -> str:
    if not item.due:
        return "no due date"
    if item.status == "open" and item.due < today:
        return f"due {item.due}, OVERDUE by {(today - item.due).days} days"
    return f"due {item.due}"


def actions(
    q: Question, scored: list[ScoredItem], book: CitationBook, today: date, teams: dict
) -> list[str]:
    """Actions grouped by owner, with due dates and status; overdue ones marked."""
    if q.team or q.owner:
        who = q.owner or q.team.value  # type: ignore[union-attr]
        whom = q.for_person or (q.for_team.value if q.for_team else None)
        head = f"{q.status.capitalize()} actions owed by {who}" if q.status else f"Actions of {who}"
        head += f" to {whom}" if whom else ""
    else:
        head = "Overdue actions" if q.overdue else "Actions"
    lines = [f"{head}{about(q)}:"]
    by_owner: dict[str, list[ScoredItem]] = {}
    for s in scored:
        by_owner.setdefault(s.item.owner or "no owner", []).append(s)
    for owner, group in by_owner.items():
        team = teams.get(owner) or group[0].item.team
        label = owner if team in (None, "unknown") else f"{owner} ({getattr(team, 'value', team)})"
        lines.append(f"{label}:")
        for s in sorted(group, key=lambda s: (s.item.due or date.max, s.item.id)):
            item = s.item
            n = book.evidence(item.evidence[0], item.meeting_id)
            status = item.status
            if item.status == "done" and item.status_evidence:
                ev = item.status_evidence[0]
                done_n = book.evidence(ev, item.meeting_id)
                status = f"done [{done_n}]"
            said = _said(item.evidence[0], s.meeting, n, item.text)
            text = item.text.strip().rstrip(".!?;:, ")
            lines.append(f"  - {text} ({_due(item, today)}; {status}). {said}")
    return lines


def parking(
    q: Question, scored: list[ScoredItem], book: CitationBook, today: date, meeting
) -> list[str]:
    """Parking-lot snags, oldest first, with their age and what happened to them since."""
    rows = sorted(scored, key=lambda s: (s.meeting.date, s.item.id))
    open_only = all(s.item.status in ("parked", "revisited") for s in rows)
    lines = [f"{'Open parking-lot snags' if open_only else 'Parking-lot snags'}{about(q)}:"]
    for s in rows:
        item = s.item
        n = book.evidence(item.evidence[0], item.meeting_id)
        age = (today - s.meeting.date).days
        said = _said(item.evidence[0], s.meeting, n, item.text)
        text = f"- {item.text.strip().rstrip('.!?;:, ')}: parked {age} days ago. {said}"
        if item.status != "parked" and item.status_evidence:
            ev = item.status_evidence[0]
            m = meeting(ev.meeting_id or item.meeting_id)
            later = book.evidence(ev, item.meeting_id)
            text += f"; {item.status} in {where(m)} [{later}]"
        lines.append(text)
    return lines


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


def item_lines(scored: list[ScoredItem], book: CitationBook, today: date) -> list[str]:
    """One line per item of any kind (for goal and general answers)."""
    lines = []
    for s in sorted(scored, key=lambda s: (-s.meeting.date.toordinal(), s.item.id)):
        item = s.item
        n = book.evidence(item.evidence[0], item.meeting_id)
        extra = f"; {_due(item, today)}" if item.kind.value == "action" else ""
        lines.append(
            f"- {item.kind.value.capitalize()} ({item.status}{extra}): {sentence(item.text)} "
            f"{_said(item.evidence[0], s.meeting, n, item.text)}"
        )
    return lines


def passages(q: Question, found: list[Passage], book: CitationBook, head: str = "") -> list[str]:
    """The best passages as quotes with speakers, in meeting order."""
    lines = [head or f"What was said{about(q)}:"]
    seen: set[tuple[int, str]] = set()
    for p in sorted(found, key=lambda p: (p.hit.date, p.hit.meeting_id, p.turn.index)):
        key = (p.hit.meeting_id, p.quote)
        if key in seen:
            continue
        seen.add(key)
        n = book.passage(p)
        lines.append(f'- {p.turn.speaker or "Someone"} in {where_hit(p)}: "{p.quote}" [{n}]')
    return lines


def where_hit(p: Passage) -> str:
    day = p.hit.date.isoformat()
    return p.hit.title if day in p.hit.title else f"{p.hit.title}, {day}"
