"""`Exports` (liaison.exports): tables, minutes and calendars out; calendars in.

Every export is an `Export` (bytes, media type, file name) so the CLI writes it to a file and
the API answers it as a download, with the same content.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, Field
from rapidfuzz import fuzz

from assistant.errors import InvalidInput
from assistant.exports import ics, minutes, tables
from assistant.exports.calendar_in import Occurrence, read_calendar
from assistant.exports.feeds import Feed, Feeds
from assistant.exports.links import Links
from assistant.extract.dates import series_kind
from assistant.models import Item, ItemKind, Meeting, MeetingKind
from assistant.store import calendar as cal_store
from assistant.store import items as item_store
from assistant.store import meetings as meeting_store
from assistant.store.exports import edit_counts, tracker_changes
from assistant.store.items import ItemFilters

if TYPE_CHECKING:
    from assistant.service import Liaison

log = logging.getLogger(__name__)
TableFormat = Literal["csv", "xlsx", "json"]
MinutesFormat = Literal["md", "docx"]
MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
    "md": "text/markdown; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "ics": "text/calendar; charset=utf-8",
}
MAX_ROWS = 100_000
CALENDAR_AUTHOR = "calendar import"


@dataclass
class Export:
    content: bytes
    media_type: str
    filename: str


class CalendarEvent(BaseModel):
    """One occurrence of an imported calendar event."""

    uid: str
    day: date
    title: str
    kind: MeetingKind
    series: str | None = Field(default=None, description="UID of the recurring event.")
    attendees: list[str] = Field(default_factory=list)
    meeting_id: int | None = Field(default=None, description="The stored meeting it was.")


class MeetingUpdate(BaseModel):
    """What a calendar import set on one stored meeting."""

    meeting_id: int
    title: str
    date: dt.date  # `dt.`: the field name shadows the type in the class body
    kind: MeetingKind
    attendees: list[str]
    was_title: str
    was_date: dt.date
    was_kind: MeetingKind


class CalendarReport(BaseModel):
    events: int = Field(description="Occurrences read and kept (a series counts each date).")
    upcoming: int = Field(description="Of those, how many are after today.")
    meetings: list[MeetingUpdate] = Field(description="Stored meetings the calendar matched.")
    items_dated: list[int] = Field(
        description="Actions waiting for a meeting of a series ('before the QBR') that now have"
        " its date."
    )


def _slug(text: str) -> str:
    import re

    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "meeting"


class Exports:
    def __init__(self, liaison: Liaison):
        self.liaison = liaison
        self.db = liaison.db
        self.links = Links(liaison.settings.public_url)
        self.feeds = Feeds(liaison.db)

    # ------------------------------------------------------------------ tables

    def _meetings(self, items: list[Item]) -> dict[int, Meeting]:
        conn = self.db.connect()
        return {i: meeting_store.get_meeting(conn, i) for i in {x.meeting_id for x in items}}

    def items_table(self, filters: ItemFilters | None = None, fmt: str = "csv") -> Export:
        """Every item the filters keep (all of them by default), every field."""
        if fmt not in ("csv", "xlsx", "json"):
            raise InvalidInput(f"table format {fmt!r}: use csv, xlsx or json")
        found, _ = self.liaison.items(filters or ItemFilters(), MAX_ROWS)
        if fmt == "json":
            body = json.dumps([i.model_dump(mode="json") for i in found], indent=2)
            return Export(body.encode(), MEDIA["json"], "liaison-items.json")
        records = tables.rows(found, self._meetings(found), self.links)
        content = tables.to_csv(records) if fmt == "csv" else tables.to_xlsx(records)
        return Export(content, MEDIA[fmt], f"liaison-items.{fmt}")

    # ------------------------------------------------------------------ minutes

    def minutes(self, meeting_id: int, fmt: str = "md") -> Export:
        """Minutes of one meeting: attendees, decisions, actions, parking lot, and what it
        changed on earlier items, each linked back to its moment."""
        if fmt not in ("md", "docx"):
            raise InvalidInput(f"minutes format {fmt!r}: use md or docx")
        conn = self.db.connect()
        meeting = meeting_store.get_meeting(conn, meeting_id)
        items, _ = self.liaison.items(ItemFilters(meeting_id=meeting_id), MAX_ROWS)
        changed_ids = list(dict.fromkeys(r["item_id"] for r in tracker_changes(conn, meeting_id)))
        changed = [item_store.get_item(conn, i) for i in changed_ids]
        built = minutes.build(meeting, items, changed, self.links)
        name = f"{meeting.date.isoformat()}-{_slug(meeting.title)}-minutes.{fmt}"
        if fmt == "md":
            return Export(minutes.to_markdown(built).encode(), MEDIA["md"], name)
        return Export(minutes.to_docx(built), MEDIA["docx"], name)

    # ------------------------------------------------------------------ calendars out

    def items_ics(self, filters: ItemFilters | None = None, name: str = "all actions") -> Export:
        """Actions with a due date as all-day events (the feed's content)."""
        filters = (filters or ItemFilters()).model_copy(update={"kind": ItemKind.action})
        found, _ = self.liaison.items(filters, MAX_ROWS)
        found = [i for i in found if i.due is not None]
        content = ics.items_calendar(
            found,
            self._meetings(found),
            self.links,
            f"Liaison: {name}",
            edit_counts(self.db.connect()),
        )
        return Export(content, MEDIA["ics"], f"liaison-{_slug(name)}.ics")

    def item_ics(self, item_id: int) -> Export:
        """One action as an .ics file (opens as one event in Outlook, Google, Apple)."""
        item = self.liaison.item(item_id)
        if item.kind != ItemKind.action or item.due is None:
            what = "has no due date" if item.kind == ItemKind.action else "is not an action"
            raise InvalidInput(f"item {item_id} {what}: only actions with a due date have one")
        counts = edit_counts(self.db.connect())
        content = ics.items_calendar(
            [item], self._meetings([item]), self.links, f"Liaison: item {item_id}", counts
        )
        return Export(content, MEDIA["ics"], f"liaison-item-{item_id}.ics")

    def feed_filters(self, feed: Feed) -> ItemFilters:
        from assistant.models import Team

        if feed.scope == "owner":
            return ItemFilters(owner=feed.value)
        if feed.scope == "team":
            return ItemFilters(team=Team(feed.value or ""))
        return ItemFilters()

    def feed_ics(self, secret: str) -> Export:
        """The content of a secret feed URL (NotFound when revoked or unknown)."""
        feed = self.feeds.resolve(secret)
        return self.items_ics(self.feed_filters(feed), feed.describe)

    def feed_url(self, secret: str) -> str:
        return f"{self.links.base}/calendar/{secret}.ics"

    # ------------------------------------------------------------------ calendars in

    def import_calendar(self, data: bytes, today: date | None = None) -> CalendarReport:
        """Set stored meetings' titles, dates, kinds and attendees from the calendar events
        they were, keep every occurrence (upcoming ones too), and give actions waiting for a
        meeting of a series ("before the QBR") the date of the next one. All or nothing."""
        tz = ZoneInfo(self.liaison.settings.default_timezone)
        today = today or datetime.now(tz).date()
        occurrences = read_calendar(data, tz, until=today + timedelta(days=366))
        if not occurrences:
            raise InvalidInput("the calendar has no events")
        updates: list[MeetingUpdate] = []
        with self.db.transaction() as tx:
            matches = self._match(tx, [o for o in occurrences if o.day <= today + timedelta(1)])
            for occ in occurrences:
                meeting = matches.get(id(occ))
                if meeting is not None:
                    updates.append(self._apply(tx, occ, meeting))
                cal_store.upsert_event(
                    tx,
                    uid=occ.uid,
                    day=occ.day,
                    title=occ.title,
                    kind=occ.kind,
                    series=occ.series,
                    attendees=occ.attendees,
                    meeting_id=meeting.id if meeting else None,
                )
            dated = self._date_waiting_actions(tx)
        self._announce(dated)
        return CalendarReport(
            events=len(occurrences),
            upcoming=sum(1 for o in occurrences if o.day > today),
            meetings=updates,
            items_dated=dated,
        )

    def events(
        self, since: date | None = None, limit: int = 200, offset: int = 0
    ) -> tuple[list[CalendarEvent], int]:
        rows, total = cal_store.list_events(self.db.connect(), since, limit, offset)
        found = [
            CalendarEvent(
                uid=r["uid"],
                day=r["day"],
                title=r["title"],
                kind=r["kind"],
                series=r["series"],
                attendees=json.loads(r["attendees"]),
                meeting_id=r["meeting_id"],
            )
            for r in rows
        ]
        return found, total

    def _match(self, conn, occurrences: list[Occurrence]) -> dict[int, Meeting]:
        """Which stored meeting each occurrence was: one on its date (the closest title when
        several), or one a day off with a very similar title (a time zone moved it)."""
        pairs: list[tuple[float, int, Occurrence, Meeting]] = []
        cache: dict[date, list[Meeting]] = {}
        for occ in occurrences:
            for offset in (0, -1, 1):
                day = occ.day + timedelta(days=offset)
                if day not in cache:
                    cache[day] = cal_store.meetings_on(conn, day)
                for meeting in cache[day]:
                    score = fuzz.token_set_ratio(occ.title.lower(), meeting.title.lower())
                    if offset and score < 80:
                        continue
                    if occ.kind != MeetingKind.other and occ.kind == meeting.kind:
                        score += 20
                    pairs.append((score + (50 if offset == 0 else 0), -abs(offset), occ, meeting))
        pairs.sort(key=lambda p: (p[0], p[1]), reverse=True)
        taken: set[int] = set()
        out: dict[int, Meeting] = {}
        for _, _, occ, meeting in pairs:
            if id(occ) in out or meeting.id in taken:
                continue
            out[id(occ)] = meeting
            taken.add(meeting.id)
        return out

    def _apply(self, conn, occ: Occurrence, meeting: Meeting) -> MeetingUpdate:
        attendees = list(meeting.attendees)
        known = {a.lower() for a in attendees}
        attendees += [a for a in occ.attendees if a.lower() not in known]
        kind = occ.kind if occ.kind != MeetingKind.other else meeting.kind
        updated = cal_store.set_meeting_details(
            conn, meeting.id, title=occ.title, day=occ.day, kind=kind, attendees=attendees
        )
        if updated.kind != meeting.kind or updated.date != meeting.date:
            # This meeting may be the one earlier items waited for ("before the QBR"): the
            # tracker's own rule dates them, as it would have at ingest had the kind been known.
            changes: list[str] = []
            self.liaison.tracker.date_series_items(conn, updated, changes)
            for line in changes:
                log.info("calendar import: %s", line)
        return MeetingUpdate(
            meeting_id=meeting.id,
            title=updated.title,
            date=updated.date,
            kind=updated.kind,
            attendees=updated.attendees,
            was_title=meeting.title,
            was_date=meeting.date,
            was_kind=meeting.kind,
        )

    def _date_waiting_actions(self, conn) -> list[int]:
        """Open actions due "before the QBR" whose QBR is not stored yet but is in the
        calendar: they get its date (recorded in their history as the calendar's doing)."""
        dated = []
        for item, _ in item_store.item_vectors(conn, ItemKind.action):
            kind = series_kind(item.due_phrase)
            if item.due or item.status != "open" or kind is None or "due" in item.edited_fields:
                continue
            said_on = item_store.meeting_date_of(conn, item)
            if meeting_store.next_meeting_of_kind(conn, kind, said_on) is not None:
                continue  # a stored meeting of the series came first: the tracker's case
            event = cal_store.next_event_of_kind(conn, kind, said_on)
            if event is None:
                continue
            item_store.set_fields(
                conn,
                item.id,
                {"due": date.fromisoformat(event["day"])},
                author=CALENDAR_AUTHOR,
                source="calendar",
            )
            dated.append(item.id)
        return dated

    def _announce(self, item_ids: list[int]) -> None:
        hooks = getattr(self.liaison, "webhooks", None)
        if hooks is not None:
            for item_id in item_ids:
                hooks.item_changed(item_id)
