"""The sections read from the tracked state: decisions, actions, parking lot, goals, agenda.

Functions of a `Composer` that has read the week (`Composer.compose`): statuses are as they
stood at the end of the week (`Composer.status`), ages and "overdue" count to `as_of`.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import TYPE_CHECKING

from assistant.digest.types import DigestGroup, DigestLine, DigestSection
from assistant.digest.weeks import fmt_day
from assistant.goals import kpi_percent
from assistant.models import Goal, Item, ItemKind, KpiReading, Team
from assistant.store import digests as store
from assistant.store import goals as goal_store
from assistant.store import items as item_store

if TYPE_CHECKING:
    from assistant.digest.compose import Composer

IT, MKT = Team.it.value, Team.marketing.value
AT_RISK_WINDOW = timedelta(days=14)


def decisions(c: Composer, week_items: list[Item]) -> DigestSection:
    """The week's decisions; one that reverses an earlier decision says what it switched from,
    and the decision it replaced follows it."""
    conn = c.liaison.db.connect()
    decided = [i for i in week_items if i.kind == ItemKind.decision]
    replaced = store.superseded_by(conn, [d.id for d in decided])
    lines = []
    for d in decided:
        olds = [c.liaison.item(old_id) for old_id in replaced.get(d.id, [])]
        detail = f"decided {fmt_day(c._meeting_day(d))}"
        if d.status == "superseded":
            detail += " · superseded later"
        for old in olds:
            detail += f" · switched from “{old.text}” ({fmt_day(c._meeting_day(old))})"
        lines.append(c.item_line(d, "changed" if olds else "decided", detail))
        for old in olds:
            lines.append(c.item_line(old, "replaced", "an earlier decision this one supersedes"))
    return DigestSection(
        key="decisions",
        title="Decisions of the week",
        note="Decisions made in this week's meetings; a changed decision shows what it replaced.",
        empty="No decisions were recorded this week.",
        groups=[DigestGroup(lines=lines)],
    )


def actions(c: Composer, actions: list[Item]) -> DigestSection:
    by_side: dict[str, list[DigestLine]] = {IT: [], MKT: [], "": []}
    for a in actions:
        by_side[c.side(a)].append(c.action_line(a))
    return DigestSection(
        key="actions",
        title="Action items",
        note="New this week, overdue, due in the coming week, and done this week.",
        empty="No action items are new, due or done this week.",
        groups=[
            DigestGroup(title="What IT owes marketing", lines=by_side[IT]),
            DigestGroup(title="What marketing owes IT", lines=by_side[MKT]),
            DigestGroup(title="Shared or unassigned", lines=by_side[""]),
        ],
    )


def _text(item: Item) -> str:
    return " ".join(item.text.lower().rstrip(".!? ").split())


def _head(item: Item) -> tuple[int, int]:
    e = item.evidence[0]
    return (e.meeting_id or item.meeting_id, e.turn_index)


def once(parked: list[tuple[Item, int]]) -> list[tuple[Item, int]]:
    """Each open snag once, the oldest mention kept: two snags are one when they have the same
    words or are said in the same turn, or when one only accepts the other in the next turns
    ("Agreed, it goes in the parking lot"). Two snags a turn also mentions stay two."""
    out: list[tuple[Item, int]] = []
    for item, age in parked:
        if any(_same_snag(item, kept) for kept, _ in out):
            continue
        out.append((item, age))
    return out


_EMPTY_WORDS = frozenset(
    "agreed agree goes going that this those them with park parked parking list today later "
    "offline yeah okay fine sure then let's lets".split()
)


def _same_snag(item: Item, kept: Item) -> bool:
    if _text(item) == _text(kept) or _head(item) == _head(kept):
        return True
    # "Agreed, it goes in the parking lot" right after the snag was raised says no new thing.
    (m1, t1), (m2, t2) = _head(item), _head(kept)
    content = [w for w in re.findall(r"[a-z']+", _text(item)) if len(w) > 3]
    return m1 == m2 and 0 < abs(t1 - t2) <= 2 and all(w in _EMPTY_WORDS for w in content)


def snag_history(c: Composer, item: Item) -> str:
    """ "parked Mon 5 Oct · revisited Mon 12 Oct, Mon 19 Oct": what meetings up to the end
    of the week did to a snag."""
    conn = c.liaison.db.connect()
    seen: dict[str, list[str]] = {}
    for event in item_store.history(conn, item.id):
        if event.field != "status" or event.source != "tracker" or event.undone:
            continue
        title, day = c._meetings.get(event.meeting_id or -1, ("", None))
        if day is None or day > c.end:
            continue
        seen.setdefault(event.new_value or "", []).append(fmt_day(day))
    parts = [f"parked {fmt_day(c._meeting_day(item))}"]
    parts += [f"{status} {', '.join(days)}" for status, days in seen.items()]
    return " · ".join(parts)


def parking(c: Composer, parked: list[tuple[Item, int]], goals: list[Goal]) -> DigestSection:
    """Open snags once each (a snag parked again in the same words is one snag), with their
    history; snags a meeting of the week settled follow."""
    titles = {g.id: g.title for g in goals}
    lines = []
    for i, age in once(parked):
        detail = [f"goal: {titles.get(i.goal_id or '', 'none')}", snag_history(c, i)]
        lines.append(c.item_line(i, f"{age} days", " · ".join(detail)))
    settled = []
    for item_id in sorted(c._settled):
        item = c.liaison.item(item_id)
        if c.status(item) == "resolved" and item.kind == ItemKind.parking:
            said = item.status_evidence[0] if item.status_evidence else None  # what settled it
            settled.append(c.item_line(item, "settled", snag_history(c, item), quoting=said))
    return DigestSection(
        key="parking",
        title="Parking lot",
        note="Open snags, oldest first, with their age, goal and history.",
        empty="The parking lot is empty.",
        groups=[DigestGroup(lines=lines), DigestGroup(title="Settled this week", lines=settled)]
        if settled
        else [DigestGroup(lines=lines)],
    )


def milestones_at_risk(c: Composer, goal: Goal) -> list[DigestLine]:
    out = []
    for m in goal.milestones:
        if m.done or m.date is None or m.date > c.as_of + AT_RISK_WINDOW:
            continue
        late = m.date < c.as_of
        out.append(
            DigestLine(
                text=f"{goal.title}: {m.title}",
                detail=f"{'was due' if late else 'due'} {fmt_day(m.date)} {m.date.year}",
                link=c.goal_link(goal.id),
                tag="late" if late else "at risk",
            )
        )
    return out


def goal_progress(c: Composer, goals: list[Goal]) -> DigestSection:
    """Each KPI against its target, how it moved in the period ("35 → 50 % this period, +15",
    or "no change"), and the latest value said in one of the period's meetings, quoted."""
    by_kpi: dict[tuple[str, str], list[KpiReading]] = {}
    for r in goal_store.readings(c.liaison.db.connect()):
        if r.at.date() <= c.end:
            by_kpi.setdefault((r.goal_id, r.kpi), []).append(r)
    groups = []
    for g in goals:
        lines = []
        for k in g.kpis:
            pct = kpi_percent(k.current, k.target, k.unit)
            unit = f" {k.unit}" if k.unit else ""
            line = DigestLine(
                text=f"{k.name}: {_num(k.current)} of target {_num(k.target)}{unit}",
                detail=f"{pct}% of target" if pct is not None else "no value yet",
                link=c.goal_link(g.id),
                tag=f"{pct}%" if pct is not None else "",
            )
            lines.append(kpi_movement(c, line, by_kpi.get((g.id, k.name), []), unit))
        lines += milestones_at_risk(c, g)
        groups.append(DigestGroup(title=f"{g.title} ({g.side.value})", lines=lines))
    return DigestSection(
        key="goals",
        title="Progress on shared goals",
        note="KPIs against target and how they moved this period (edits, imports and values"
        " said in meetings); milestones at risk are not done and late or due within 14 days.",
        empty="No shared goals are recorded.",
        groups=groups,
    )


def kpi_movement(c: Composer, line: DigestLine, readings: list[KpiReading], unit: str):
    """The line with the KPI's movement over the period added, quoting the latest meeting of
    the period that said its value. `readings`: the KPI's, up to the period's end, oldest first."""
    during = [r for r in readings if r.at.date() >= c.start]
    if not during:
        return line.model_copy(update={"detail": f"{line.detail} · no change this period"})
    before = [r for r in readings if r.at.date() < c.start]
    first = before[-1] if before else during[0] if len(during) > 1 else None
    start, end = (first.value if first else None), during[-1].value
    if start is None and end is not None:
        moved = f"first value {_num(end)}{unit} this period"
    elif start == end:
        moved = "no change this period"
    else:
        delta = "" if start is None or end is None else f", {round(end - start, 6):+g}"
        moved = f"{_num(start)} → {_num(end)}{unit} this period{delta}"
    said = [r for r in during if r.source == "meeting"]
    alone = start is None and said and during == said[-1:]  # the quote below says it all
    update = {"detail": line.detail if alone else f"{line.detail} · {moved}"}
    if said:
        r = said[-1]
        day = fmt_day(r.at.date())
        update["detail"] += f" · {_num(r.value)}{unit} said in {r.meeting_title} on {day}"
        update |= {
            "quote": r.quote or "",
            "speaker": r.speaker or "",
            "link": c.link(r.meeting_id, r.turn_index),
            "source": c._source(r.meeting_id),
        }
    return line.model_copy(update=update)


def agenda(
    c: Composer, actions: list[Item], parked: list[tuple[Item, int]], goals: list[Goal]
) -> DigestSection:
    """What the next sync should take up: overdue work, the oldest open snags, work due in
    the coming week, and goals at risk."""
    overdue = [c.action_line(a) for a in actions if c._action_tag(a).startswith("overdue")]
    revisit = [c.item_line(i, f"{age} days", "parked") for i, age in once(parked)[:5]]
    soon = [a for a in actions if c._action_tag(a) == "due soon" or a.id in c._moved]
    due_soon = [c.action_line(a) for a in soon if not c._action_tag(a).startswith("overdue")]
    risks = [line for g in goals for line in milestones_at_risk(c, g)]
    return DigestSection(
        key="agenda",
        title="Suggested agenda for the next sync",
        empty="Nothing pressing: no overdue actions, parked items or goals at risk.",
        groups=[
            DigestGroup(title="Overdue actions", lines=overdue),
            DigestGroup(title="Parking-lot items to revisit (oldest first)", lines=revisit),
            DigestGroup(title="Due in the coming week", lines=due_soon),
            DigestGroup(title="Goals at risk", lines=risks),
        ],
    )


def _num(value: float | None) -> str:
    if value is None or value != value:  # NaN: stored before values were checked
        return "–"
    return f"{value:g}"
