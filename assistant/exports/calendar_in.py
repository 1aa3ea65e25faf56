"""Read an ICS calendar (an export from Google Calendar, Outlook, Apple): its events, one
occurrence per date (a series is expanded from its RRULE, minus EXDATEs, with moved occurrences
taken from their RECURRENCE-ID overrides), each with its title, kind and attendees."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr
from icalendar import Calendar

from assistant.errors import InvalidInput
from assistant.ingest import guess_kind
from assistant.models import MeetingKind

MAX_OCCURRENCES = 2000  # of one series (a daily stand-up for five years)


@dataclass
class Occurrence:
    uid: str
    day: date
    title: str
    kind: MeetingKind
    series: str | None  # the UID of the recurring event it belongs to
    attendees: list[str] = field(default_factory=list)


def _day(value, tz: ZoneInfo) -> date:
    """An event's date in the data's time zone (a 23:00 UTC call is the next day in Paris)."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            return value.date()
        return value.astimezone(tz).date()
    return value


def _people(event) -> list[str]:
    """Attendees (and the organizer) by their name, else the address before the @."""
    found = event.get("attendee") or []
    if not isinstance(found, list):
        found = [found]
    organizer = event.get("organizer")
    if organizer is not None:
        found = [organizer, *found]
    names: list[str] = []
    for person in found:
        name = (getattr(person, "params", {}) or {}).get("CN") or ""
        if not name:
            address = str(person)
            address = address.split(":", 1)[1] if address.lower().startswith("mailto:") else address
            # "sam.ortiz@…" is most likely Sam Ortiz (as transcripts name him)
            local = address.split("@", 1)[0].replace(".", " ").replace("_", " ")
            name = local.title() if " " in local else local
        name = " ".join(str(name).strip().strip('"').split())
        if name and name.lower() not in {n.lower() for n in names}:
            names.append(name)
    return names


def read_calendar(data: bytes, tz: ZoneInfo, until: date) -> list[Occurrence]:
    """Every occurrence up to `until` (later ones of an endless series are not listed)."""
    try:
        cal = Calendar.from_ical(data)
    except (ValueError, IndexError, KeyError) as exc:
        reason = " ".join(str(exc).split())[:200]
        raise InvalidInput(f"not an iCalendar (.ics) file: {reason}") from None
    events = [c for c in cal.walk("VEVENT")]
    if not events and b"BEGIN:VCALENDAR" not in data[:2000].upper():
        raise InvalidInput("not an iCalendar (.ics) file: no BEGIN:VCALENDAR")
    overrides: dict[tuple[str, date], Any] = {}
    masters = []
    for event in events:
        if event.get("recurrence-id") is not None:
            uid = str(event.get("uid", ""))
            overrides[(uid, _day(event.decoded("recurrence-id"), tz))] = event
        else:
            masters.append(event)
    out: list[Occurrence] = []
    for event in masters:
        if event.get("dtstart") is None:
            continue
        uid = str(event.get("uid") or f"no-uid-{len(out)}")
        series = uid if event.get("rrule") is not None else None
        for day in _dates(event, tz, until):
            moved = overrides.pop((uid, day), None)
            occurrence = _occurrence(moved or event, uid, series, tz)
            if occurrence is not None:
                if moved is None:
                    occurrence.day = day
                out.append(occurrence)
    for (uid, _), event in overrides.items():  # overrides of a series not in this file
        occurrence = _occurrence(event, uid, uid, tz)
        if occurrence is not None and occurrence.day <= until:
            out.append(occurrence)
    return sorted(out, key=lambda o: (o.day, o.uid))


def _occurrence(event, uid: str, series: str | None, tz: ZoneInfo) -> Occurrence | None:
    if str(event.get("status", "")).upper() == "CANCELLED":
        return None
    title = " ".join(str(event.get("summary", "")).split()) or "Untitled event"
    return Occurrence(
        uid=uid,
        day=_day(event.decoded("dtstart"), tz),
        title=title,
        kind=guess_kind(title, ""),
        series=series,
        attendees=_people(event),
    )


def _dates(event, tz: ZoneInfo, until: date) -> list[date]:
    start = event.decoded("dtstart")
    first = _day(start, tz)
    rule = event.get("rrule")
    if rule is None:
        return [first]
    found = event.get("exdate")
    excluded = {
        _day(value.dt, tz)
        for group in (found if isinstance(found, list) else [found] if found else [])
        for value in group.dts
    }
    if isinstance(start, datetime):
        naive = start.replace(tzinfo=None)  # the series repeats in its own wall-clock time
    else:
        naive = datetime.combine(start, datetime.min.time())
    try:
        rrule = rrulestr(rule.to_ical().decode(), dtstart=naive, ignoretz=True)
    except (ValueError, TypeError) as exc:
        raise InvalidInput(f"event {event.get('summary', '')!r}: unreadable RRULE ({exc})") from exc
    days: list[date] = []
    stop = datetime.combine(until + timedelta(days=1), datetime.min.time())
    for moment in rrule:
        if moment >= stop or len(days) >= MAX_OCCURRENCES:
            break
        if isinstance(start, datetime) and start.tzinfo is not None:
            moment = moment.replace(tzinfo=start.tzinfo)  # wall-clock time in the event's zone
        day = _day(moment, tz)
        if day not in excluded and (not days or days[-1] != day):  # one a day, however often
            days.append(day)
    return days
