"""ICS (RFC 5545) of action items, for Google Calendar, Outlook and Apple Calendar.

Each action with a due date is an all-day event on that date (DTSTART;VALUE=DATE, DTEND the
next day), with a UID that never changes (`liaison-item-<id>@<host>`), DTSTAMP the item's last
change, and SEQUENCE the number of changes, so a subscribed calendar updates the event in place
instead of adding a second one. Done items keep their event ("Done: …"); dropped ones are
CANCELLED, which removes them from calendars that already had them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from icalendar import Calendar, Event

from assistant.exports.links import Links
from assistant.models import Item, Meeting

PRODID = "-//Liaison//Action items//EN"


def _calendar(name: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    # How often a subscribed client should read the feed again (Outlook, Apple; Google ignores).
    cal.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT1H")
    return cal


def item_uid(item: Item, links: Links) -> str:
    return f"liaison-item-{item.id}@{links.host}"


def item_event(
    item: Item, meeting: Meeting | None, links: Links, sequence: int = 0
) -> Event | None:
    """The all-day event of one action on its due date; None when it has no due date."""
    if item.due is None:
        return None
    event = Event()
    event.add("uid", item_uid(item, links))
    stamp = item.updated_at or item.created_at or datetime.now(UTC)
    event.add("dtstamp", stamp.astimezone(UTC))
    if item.created_at:
        event.add("created", item.created_at.astimezone(UTC))
    if item.updated_at:
        event.add("last-modified", item.updated_at.astimezone(UTC))
    event.add("dtstart", item.due)
    event.add("dtend", item.due + timedelta(days=1))
    prefix = {"done": "Done: ", "dropped": "Dropped: "}.get(item.status, "")
    event.add("summary", f"{prefix}{item.text}")
    event.add("description", _description(item, meeting, links))
    event.add("url", links.item(item))
    event.add("status", "CANCELLED" if item.status == "dropped" else "CONFIRMED")
    event.add("transp", "TRANSPARENT")  # a due date does not make anyone busy
    event.add("sequence", sequence)
    event.add("categories", [item.team.value])
    return event


def _description(item: Item, meeting: Meeting | None, links: Links) -> str:
    lines = [
        item.text,
        "",
        f"Owner: {item.owner or 'unknown'} ({item.team.value})",
        f"Status: {item.status}",
        f"Due: {item.due.isoformat() if item.due else '-'}"
        + (f' (said "{item.due_phrase}")' if item.due_phrase else ""),
    ]
    if meeting is not None:
        lines.append(f"From: {meeting.title}, {meeting.date.isoformat()}")
    if item.evidence:
        ev = item.evidence[0]
        lines += ["", f"“{ev.quote}” — {ev.speaker or 'unknown speaker'}"]
    lines += ["", f"Said at: {links.said(item)}", f"Item: {links.item(item)}"]
    return "\n".join(lines)


def items_calendar(
    items: Iterable[Item],
    meetings: dict[int, Meeting],
    links: Links,
    name: str,
    sequences: dict[int, int] | None = None,
) -> bytes:
    """A VCALENDAR with one all-day event per action that has a due date."""
    cal = _calendar(name)
    sequences = sequences or {}
    for item in items:
        event = item_event(item, meetings.get(item.meeting_id), links, sequences.get(item.id, 0))
        if event is not None:
            cal.add_component(event)
    return cal.to_ical()
