"""Compose a weekly digest for one reader: pure data read from the store, no formatting.

A week is Monday–Sunday (ISO); meeting dates are plain dates, so a meeting belongs to the week
its date falls in. "Overdue", "due soon" and ages are counted to the Monday after the week
(`as_of`), so the same week always gives the same digest, whenever it is composed.

The CIO's digest leads with what marketing needs from IT; the CMO's with the delivery status of
the tech work campaigns depend on. Both then carry decisions, actions by side, the parking lot,
goal progress, a suggested agenda and the terms used this week.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any
from urllib.parse import quote

from assistant.digest.types import Digest, DigestGroup, DigestLine, DigestSection, RecipientIn
from assistant.digest.weeks import fmt_day, fmt_range, week_bounds
from assistant.goals import kpi_percent
from assistant.models import Goal, Item, ItemKind, Meeting, SearchFilters, Team
from assistant.store import digests as store
from assistant.store.items import ItemFilters

# Words that flag data, privacy or security implications for IT.
SENSITIVE = re.compile(
    r"\b(consent|gdpr|pii|privacy|personal data|security|secure|access|sso|okta|data|retention|"
    r"dpa|data processing agreement|password|cookies?|tracking)\b",
    re.IGNORECASE,
)
AT_RISK_WINDOW = timedelta(days=14)
DUE_SOON = timedelta(days=6)  # as_of (Monday) … Sunday: the coming week
IT, MKT = Team.it.value, Team.marketing.value


def _get(obj: Any, *names: str, default: Any = None) -> Any:
    """Read a field from a dict or an object (glossary and tool flags come from other modules)."""
    for name in names:
        if isinstance(obj, dict) and obj.get(name) is not None:
            return obj[name]
        if not isinstance(obj, dict) and getattr(obj, name, None) is not None:
            return getattr(obj, name)
    return default


class Composer:
    """Builds `Digest` objects from what `liaison` knows."""

    def __init__(self, liaison):
        self.liaison = liaison
        self.base = liaison.settings.public_url.rstrip("/")

    # ----------------------------------------------------------------- helpers

    def link(self, meeting_id: int | None, turn: int | None = None) -> str:
        if meeting_id is None:
            return ""
        return f"{self.base}/app/meetings/{meeting_id}" + (f"#t{turn}" if turn is not None else "")

    def goal_link(self, goal_id: str) -> str:
        """The web page listing the goal's items (`/goals/ID` is the JSON API, not a page)."""
        return f"{self.base}/app/items?goal={quote(goal_id)}"

    def _source(self, meeting_id: int | None) -> str:
        if meeting_id not in self._meetings:
            return ""
        title, day = self._meetings[meeting_id]
        return f"{title}, {fmt_day(day)}"

    def item_line(self, item: Item, tag: str = "", detail: str = "") -> DigestLine:
        """A line quoting the words the item rests on; a done action quotes (and links to)
        the words that reported it done."""
        ev = item.evidence[0] if item.evidence else None
        if tag == "done" and item.status_evidence:
            ev = item.status_evidence[0]
        meeting_id = (ev.meeting_id if ev else None) or item.meeting_id
        return DigestLine(
            text=item.text,
            detail=detail,
            quote=ev.quote if ev else "",
            speaker=(ev.speaker or "") if ev else "",
            link=self.link(meeting_id, ev.turn_index if ev else None),
            source=self._source(meeting_id),
            tag=tag,
        )

    def action_line(self, item: Item) -> DigestLine:
        return self.item_line(item, self._action_tag(item), self._action_detail(item))

    def side(self, item: Item) -> str:
        """IT, Marketing, or "" when neither the item nor its owner says."""
        if item.team.value in (IT, MKT):
            return item.team.value
        return self._sides.get((item.owner or "").strip().lower(), "")

    def speaker_side(self, item: Item) -> str:
        ev = item.evidence[0] if item.evidence else None
        return self._sides.get(((ev.speaker if ev else None) or "").strip().lower(), "")

    def status(self, item: Item) -> str:
        """The item's status as it stood at the end of the week: a past week's digest must not
        report an action done, or a snag resolved, by words of a later meeting."""
        if item.status not in ("done", "dropped", "resolved") or item.id in self._done:
            return item.status
        days = [
            self._meetings.get(e.meeting_id, ("", date.min))[1]
            for e in item.status_evidence
            if e.meeting_id is not None
        ]
        if days and min(days) > self.end:
            return "parked" if item.kind == ItemKind.parking else "open"
        return item.status

    def _action_detail(self, item: Item) -> str:
        parts = [f"{item.owner or 'no owner'} ({item.team.value})"]
        if item.due:
            parts.append(f"due {fmt_day(item.due)}")
        if self.status(item) != "open":
            parts.append(self.status(item))
        return " · ".join(parts)

    def _action_tag(self, item: Item) -> str:
        if item.id in self._done:
            return "done"
        status = self.status(item)
        if status == "open" and item.due and item.due < self.as_of:
            return f"overdue {(self.as_of - item.due).days} d"
        if status == "open" and item.due and item.due <= self.as_of + DUE_SOON:
            return "due soon"
        if self._meeting_day(item) >= self.start:
            return "new" if status == "open" else status
        return status

    def _action_order(self, item: Item) -> tuple:
        tag = self._action_tag(item)
        rank = 0 if tag.startswith("overdue") else 1 if tag == "due soon" else 2
        rank = 3 if tag in ("done", "dropped") else rank
        return (rank, item.due or date.max, item.owner or "", item.id)

    def _meeting_day(self, item: Item) -> date:
        return self._meetings.get(item.meeting_id, ("", date.min))[1]

    # ----------------------------------------------------------------- compose

    def compose(self, week: str, recipient: RecipientIn) -> Digest:
        self.start, self.end = week_bounds(week)
        self.as_of = self.end + timedelta(days=1)
        conn = self.liaison.db.connect()
        self._meetings = store.meeting_dates(conn)
        self._sides = store.owner_sides(conn)
        for r in store.list_recipients(conn):  # the leaders' own sides are known
            if r.role in ("cio", "cmo"):
                self._sides[r.name.strip().lower()] = IT if r.role == "cio" else MKT
        self._done = store.done_between(conn, self.start, self.end)

        meetings, _ = self.liaison.meetings(
            SearchFilters(since=self.start, until=self.end), limit=1000
        )
        meetings = sorted(meetings, key=lambda m: (m.date, m.id))
        week_items, _ = self.liaison.items(ItemFilters(since=self.start, until=self.end), 10_000)
        week_items = sorted(week_items, key=lambda i: (self._meeting_day(i), i.meeting_id, i.id))
        known, _ = self.liaison.items(ItemFilters(until=self.end), 100_000)
        actions = self._relevant_actions(known, week_items)
        goals = self.liaison.goals()
        parked = [
            (i, age)
            for i, age in self.liaison.parking_lot(self.as_of)
            if self._meeting_day(i) <= self.end
        ]
        parked += [  # resolved after the week: still open in the parking lot that week
            (i, (self.as_of - self._meeting_day(i)).days)
            for i in known
            if i.kind == ItemKind.parking and i.status == "resolved" and self.status(i) == "parked"
        ]
        parked.sort(key=lambda pair: (-pair[1], pair[0].id))

        sections = []
        if recipient.role in ("cio", "other"):
            sections.append(self.cio_lead(week_items, actions))
        if recipient.role in ("cmo", "other"):
            sections.append(self.cmo_lead(known, goals))
        sections += [
            self.decisions(week_items),
            self.actions(actions),
            self.parking(parked, goals),
            self.goal_progress(goals),
            self.agenda(actions, parked, goals),
        ]
        sections.append(self.terms(meetings, recipient))

        reader = {"cio": "the CIO", "cmo": "the CMO"}.get(recipient.role, recipient.name)
        span = fmt_range(self.start, self.end)
        return Digest(
            week=week,
            start=self.start,
            end=self.end,
            as_of=self.as_of,
            recipient=RecipientIn.model_validate(recipient.model_dump(exclude={"id"})),
            title=f"Weekly digest {week} for {reader}",
            subject=f"Liaison weekly digest {week} ({span}) for {recipient.name}",
            summary=self.summary(meetings, week_items, actions, parked, span),
            meetings=[self.meeting_line(m) for m in meetings],
            sections=sections,
            empty_week=not meetings,
        )

    def meeting_line(self, meeting: Meeting) -> DigestLine:
        who = ", ".join(meeting.attendees)
        return DigestLine(
            text=meeting.title,
            detail=who,
            link=self.link(meeting.id),
            source=fmt_day(meeting.date),
        )

    def summary(self, meetings, week_items, actions, parked, span) -> list[str]:
        if not meetings:
            return [
                f"No meetings were recorded in the week of {span}, so there are no new "
                "decisions or actions. Open work carried over from earlier weeks is below."
            ]
        kinds = {k: sum(1 for i in week_items if i.kind == k) for k in ItemKind}
        overdue = sum(1 for a in actions if self._action_tag(a).startswith("overdue"))
        return [
            f"{_n(len(meetings), 'meeting')} in the week of {span}: "
            f"{_n(kinds[ItemKind.decision], 'decision')}, "
            f"{_n(kinds[ItemKind.action], 'new action')}, "
            f"{_n(kinds[ItemKind.parking], 'item')} parked.",
            f"{_n(overdue, 'action')} overdue; {_n(len(parked), 'item')} open in the parking lot.",
        ]

    def _relevant_actions(self, known: list[Item], week_items: list[Item]) -> list[Item]:
        """New this week, due soon, overdue, or done this week."""
        new = {i.id for i in week_items}
        out = []
        for item in known:
            if item.kind != ItemKind.action:
                continue
            due = item.due if self.status(item) == "open" else None
            if item.id in new or item.id in self._done or (due and due <= self.as_of + DUE_SOON):
                out.append(item)
        return sorted(out, key=self._action_order)

    # ----------------------------------------------------------------- sections

    def cio_lead(self, week_items: list[Item], actions: list[Item]) -> DigestSection:
        asked = [
            self.action_line(i)
            for i in actions
            if self.side(i) == IT and self.speaker_side(i) == MKT
        ]
        asked += [
            self.item_line(i, "request", f"parked, raised by {i.evidence[0].speaker}")
            for i in week_items
            if i.kind == ItemKind.parking and self.speaker_side(i) == MKT
        ]
        goal_sides = {g.id: g.side.value for g in self.liaison.goals()}
        depends = [
            self.item_line(i, self._action_tag(i), self._action_detail(i) + f" · goal {i.goal_id}")
            for i in actions
            if self.side(i) == IT
            and self.speaker_side(i) != MKT
            and goal_sides.get(i.goal_id or "") in (MKT, Team.joint.value)
        ]
        sensitive = [
            self.item_line(i, i.kind.value, f"mentions {self._keywords(i)}")
            for i in week_items
            if self._keywords(i)
        ]
        groups = [
            DigestGroup(title="Asked of IT by marketing", lines=asked),
            DigestGroup(title="Marketing goals that depend on IT work", lines=depends),
            DigestGroup(title="Data, privacy and security implications", lines=sensitive),
        ]
        groups.append(DigestGroup(title="Tools adopted outside IT", lines=self.tools_outside_it()))
        return DigestSection(
            key="needs_from_it",
            title="What marketing needs from IT",
            note="Requests to IT, work marketing's goals depend on, and anything touching "
            "customer data, consent, access or security.",
            empty="Marketing asked nothing new of IT this week.",
            groups=groups,
        )

    def _keywords(self, item: Item) -> str:
        text = " ".join([item.text, *(e.quote for e in item.evidence)])
        found = sorted({m.group(0).lower() for m in SENSITIVE.finditer(text)})
        return ", ".join(found)

    def tools_outside_it(self) -> list[DigestLine]:
        """Tools taken up without IT (`liaison.tools` flags with an adoption signal). Mere
        mentions (vendors being compared) are left out."""
        lines = []
        for flag in self.liaison.tools.flags(self.start, self.end):
            if _get(flag, "signal", default="adoption") != "adoption":
                continue
            evidence = _get(flag, "evidence", default=[]) or [flag]
            first = next((e for e in evidence if _get(e, "adoption", default=True)), evidence[0])
            meeting_id = _get(first, "meeting_id")
            category = _get(flag, "category", default="")
            lines.append(
                DigestLine(
                    text=str(_get(flag, "tool", "name", default="a tool")),
                    detail=f"{category} · not on the approved list"
                    if category
                    else "not on the approved list",
                    quote=str(_get(first, "quote", default="")),
                    speaker=str(_get(first, "speaker", default="")),
                    link=self.link(meeting_id, _get(first, "turn_index")),
                    source=self._source(meeting_id),
                    tag="adopted",
                )
            )
        return lines

    def cmo_lead(self, known: list[Item], goals: list[Goal]) -> DigestSection:
        it_work = [
            i
            for i in known
            if i.kind == ItemKind.action
            and self.side(i) == IT
            and (self.status(i) == "open" or i.id in self._done)
        ]
        it_work.sort(key=self._action_order)
        stones = [
            line
            for g in goals
            if g.side.value in (IT, Team.joint.value)
            for line in self._milestones_at_risk(g)
        ]
        return DigestSection(
            key="tech_delivery",
            title="Delivery status of the tech work campaigns depend on",
            note="Open IT actions with their due dates, and milestones of joint and IT goals "
            "that are late or due within two weeks.",
            empty="No open IT work and no milestone at risk.",
            groups=[
                DigestGroup(
                    title="IT actions",
                    lines=[self.action_line(i) for i in it_work],
                ),
                DigestGroup(title="Milestones at risk", lines=stones),
            ],
        )

    def decisions(self, week_items: list[Item]) -> DigestSection:
        conn = self.liaison.db.connect()
        decided = [i for i in week_items if i.kind == ItemKind.decision]
        replaced = store.superseded_by(conn, [d.id for d in decided])
        lines = []
        for d in decided:
            later = " · superseded later" if d.status == "superseded" else ""
            lines.append(
                self.item_line(d, "decided", f"decided {fmt_day(self._meeting_day(d))}{later}")
            )
            for old_id in replaced.get(d.id, []):
                old = self.liaison.item(old_id)
                lines.append(
                    self.item_line(old, "replaced", "an earlier decision this one supersedes")
                )
        return DigestSection(
            key="decisions",
            title="Decisions of the week",
            empty="No decisions were recorded this week.",
            groups=[DigestGroup(lines=lines)],
        )

    def actions(self, actions: list[Item]) -> DigestSection:
        by_side: dict[str, list[DigestLine]] = {IT: [], MKT: [], "": []}
        for a in actions:
            by_side[self.side(a)].append(self.action_line(a))
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

    def parking(self, parked: list[tuple[Item, int]], goals: list[Goal]) -> DigestSection:
        titles = {g.id: g.title for g in goals}
        lines = [
            self.item_line(
                i,
                f"{age} days",
                " · ".join(
                    [f"goal: {titles.get(i.goal_id or '', 'none')}"]
                    + (["revisited"] if i.status == "revisited" else [])
                ),
            )
            for i, age in parked
        ]
        return DigestSection(
            key="parking",
            title="Parking lot",
            note="Open snags, oldest first, with their age and goal.",
            empty="The parking lot is empty.",
            groups=[DigestGroup(lines=lines)],
        )

    def _milestones_at_risk(self, goal: Goal) -> list[DigestLine]:
        out = []
        for m in goal.milestones:
            if m.done or m.date is None or m.date > self.as_of + AT_RISK_WINDOW:
                continue
            late = m.date < self.as_of
            out.append(
                DigestLine(
                    text=f"{goal.title}: {m.title}",
                    detail=f"{'was due' if late else 'due'} {fmt_day(m.date)} {m.date.year}",
                    link=self.goal_link(goal.id),
                    tag="late" if late else "at risk",
                )
            )
        return out

    def goal_progress(self, goals: list[Goal]) -> DigestSection:
        groups = []
        for g in goals:
            lines = []
            for k in g.kpis:
                pct = kpi_percent(k.current, k.target, k.unit)
                unit = f" {k.unit}" if k.unit else ""
                lines.append(
                    DigestLine(
                        text=f"{k.name}: {_num(k.current)} of target {_num(k.target)}{unit}",
                        detail=f"{pct}% of target" if pct is not None else "no value yet",
                        link=self.goal_link(g.id),
                        tag=f"{pct}%" if pct is not None else "",
                    )
                )
            lines += self._milestones_at_risk(g)
            groups.append(DigestGroup(title=f"{g.title} ({g.side.value})", lines=lines))
        return DigestSection(
            key="goals",
            title="Progress on shared goals",
            note="KPIs against target; milestones at risk are not done and late or due within "
            "14 days.",
            empty="No shared goals are recorded.",
            groups=groups,
        )

    def agenda(
        self, actions: list[Item], parked: list[tuple[Item, int]], goals: list[Goal]
    ) -> DigestSection:
        overdue = [
            self.action_line(a) for a in actions if self._action_tag(a).startswith("overdue")
        ]
        revisit = [self.item_line(i, f"{age} days", "parked") for i, age in parked[:5]]
        risks = [line for g in goals for line in self._milestones_at_risk(g)]
        return DigestSection(
            key="agenda",
            title="Suggested agenda for the next sync",
            empty="Nothing pressing: no overdue actions, parked items or goals at risk.",
            groups=[
                DigestGroup(title="Overdue actions", lines=overdue),
                DigestGroup(title="Parking-lot items to revisit (oldest first)", lines=revisit),
                DigestGroup(title="Goals at risk", lines=risks),
            ],
        )

    def terms(self, meetings: list[Meeting], recipient: RecipientIn) -> DigestSection:
        """Jargon of the week explained for this reader's side."""
        glossary = self.liaison.glossary
        seen: set[str] = set()
        lines = []
        for m in meetings:
            for entry in glossary.detect(m.id):
                term = str(_get(entry, "term", "name", default="")).strip()
                if not term or term.lower() in seen:
                    continue
                seen.add(term.lower())
                for_it = str(_get(entry, "explanation_for_it", "for_it", default=""))
                for_mkt = str(_get(entry, "explanation_for_marketing", "for_marketing", default=""))
                explained = {"cio": for_it, "cmo": for_mkt}.get(
                    recipient.role, " / ".join(x for x in (for_it, for_mkt) if x)
                )
                turn = _get(entry, "first_turn", "turn_index")
                sense = _get(entry, "sense")
                lines.append(
                    DigestLine(
                        text=f"{term} ({sense})" if sense else term,
                        detail=explained or str(_get(entry, "definition", default="")),
                        link=self.link(m.id, turn),
                        source=self._source(m.id),
                    )
                )
        return DigestSection(
            key="terms",
            title="Terms used this week",
            note="Explained for IT."
            if recipient.role == "cio"
            else ("Explained for marketing." if recipient.role == "cmo" else ""),
            empty="No glossary terms came up this week.",
            groups=[DigestGroup(lines=lines)],
        )


def _num(value: float | None) -> str:
    if value is None or value != value:  # NaN: stored before values were checked
        return "–"
    return f"{value:g}"


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"
