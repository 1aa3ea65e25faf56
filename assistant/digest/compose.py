"""Compose a weekly digest for one reader: pure data read from the store, no formatting.

A week is Monday–Sunday (ISO); meeting dates are plain dates, so a meeting belongs to the week
its date falls in. "Overdue", "due soon" and ages are counted to the Monday after the week
(`as_of`), so the same week always gives the same digest, whenever it is composed.

The CIO's digest leads with what marketing needs from IT; the CMO's with the delivery status of
the tech work campaigns depend on. Both then carry decisions, actions by side, the parking lot,
goal progress, a suggested agenda and the terms used this week.
"""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import quote

from assistant.digest import leads, tracked
from assistant.digest.types import Digest, DigestLine, RecipientIn
from assistant.digest.weeks import fmt_day, fmt_range, week_bounds
from assistant.models import Evidence, Item, ItemKind, Meeting, SearchFilters, Team
from assistant.store import asking
from assistant.store import digests as store
from assistant.store.items import ItemFilters

DUE_SOON = timedelta(days=6)  # as_of (Monday) … Sunday: the coming week
IT, MKT = Team.it.value, Team.marketing.value


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
        """The goal's web page: its KPIs, every value they took, and a link to its items
        (`/goals/ID` is the JSON API, not a page)."""
        return f"{self.base}/app/goals/{quote(goal_id)}"

    def _source(self, meeting_id: int | None) -> str:
        if meeting_id not in self._meetings:
            return ""
        title, day = self._meetings[meeting_id]
        return f"{title}, {fmt_day(day)}"

    def item_line(
        self, item: Item, tag: str = "", detail: str = "", quoting: Evidence | None = None
    ) -> DigestLine:
        """A line quoting the words the item rests on, or `quoting` (the words that changed
        it); a done action quotes (and links to) the words that reported it done."""
        ev = item.evidence[0] if item.evidence else None
        if tag == "done" and item.status_evidence:
            ev = item.status_evidence[0]
        ev = quoting or ev
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
        if status == "open" and item.id in self._moved and item.due:
            return f"moved to {fmt_day(item.due)}"  # slipped: a meeting this week moved it
        if status == "open" and item.due and item.due <= self.as_of + DUE_SOON:
            return "due soon"
        if self._meeting_day(item) >= self.start:
            return "new" if status == "open" else status
        return status

    def _action_order(self, item: Item) -> tuple:
        tag = self._action_tag(item)
        rank = 0 if tag.startswith("overdue") else 1 if tag.startswith(("moved", "due soon")) else 2
        rank = 3 if tag in ("done", "dropped") else rank
        return (rank, item.due or date.max, item.owner or "", item.id)

    def _meeting_day(self, item: Item) -> date:
        return self._meetings.get(item.meeting_id, ("", date.min))[1]

    # ----------------------------------------------------------------- compose

    def read_week(self, week: str) -> None:
        """Read what the composer needs to know about `week` (the lines' sources, each side's
        people, what the week's meetings finished, moved and settled)."""
        self.start, self.end = week_bounds(week)
        self.as_of = self.end + timedelta(days=1)
        conn = self.liaison.db.connect()
        self._meetings = store.meeting_dates(conn)
        self._sides = store.owner_sides(conn)
        for r in store.list_recipients(conn):  # the leaders' own sides are known
            if r.role in ("cio", "cmo"):
                self._sides[r.name.strip().lower()] = IT if r.role == "cio" else MKT
        self._done = store.done_between(conn, self.start, self.end)
        # What the week's meetings did to earlier items: moved dates, settled snags.
        changes = asking.tracker_changes(conn, self.start, self.end)
        self._moved = {i for i, field, old, new, _ in changes if field == "due" and old and new}
        self._settled = {
            i for i, field, _, new, _ in changes if field == "status" and new == "resolved"
        }

    def compose(self, week: str, recipient: RecipientIn) -> Digest:
        self.read_week(week)

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
        parked = tracked.once(parked)

        sections = []
        if recipient.role in ("cio", "other"):
            sections.append(leads.cio_lead(self, week_items, actions))
        if recipient.role in ("cmo", "other"):
            sections.append(leads.cmo_lead(self, known, goals))
        sections += [
            tracked.decisions(self, week_items),
            tracked.actions(self, actions),
            tracked.parking(self, parked, goals),
            tracked.goal_progress(self, goals),
            tracked.agenda(self, actions, parked, goals),
        ]
        sections.append(leads.terms(self, meetings, recipient))

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
        """New this week, due soon, overdue, moved or done this week."""
        new = {i.id for i in week_items} | self._moved
        out = []
        for item in known:
            if item.kind != ItemKind.action:
                continue
            due = item.due if self.status(item) == "open" else None
            if item.id in new or item.id in self._done or (due and due <= self.as_of + DUE_SOON):
                out.append(item)
        return sorted(out, key=self._action_order)

    # ----------------------------------------------------------------- sections


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"
