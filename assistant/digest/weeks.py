"""ISO weeks: parse "2026-W44", find the last complete week in a time zone, format days."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from assistant.errors import InvalidInput

_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")


def week_bounds(week: str) -> tuple[date, date]:
    """Monday and Sunday of an ISO week such as "2026-W44"."""
    match = _WEEK.match(week.strip())
    if not match:
        raise InvalidInput(f"week must look like 2026-W44, not {week!r}")
    try:
        monday = date.fromisocalendar(int(match.group(1)), int(match.group(2)), 1)
    except ValueError:
        raise InvalidInput(f"{week} is not a week of that year") from None
    return monday, monday + timedelta(days=6)


def week_of(day: date) -> str:
    year, number, _ = day.isocalendar()
    return f"{year}-W{number:02d}"


def last_complete_week(now: datetime, tz: ZoneInfo | str = "UTC") -> str:
    """The ISO week before the one `now` falls in, in time zone `tz`."""
    zone = ZoneInfo(tz) if isinstance(tz, str) else tz
    local = now.astimezone(zone).date()
    return week_of(local - timedelta(days=7))


def fmt_day(day: date) -> str:
    """ "Tue 6 Oct" — the same on every platform and locale."""
    return f"{day:%a} {day.day} {day:%b}"


def fmt_range(start: date, end: date) -> str:
    """ "Mon 26 Oct – Sun 1 Nov 2026"."""
    return f"{fmt_day(start)} – {fmt_day(end)} {end.year}"
