"""Due dates as people say them, resolved against the meeting date.

"by Friday", "next Tuesday", "end of the month", "end of the quarter", "November tenth",
"by the 6th", "October 20", "in two weeks", "tomorrow". A phrase tied to a later meeting ("before
the QBR", "by our next one-on-one") has no date of its own: `series_kind` names the kind of
meeting it waits for, and the tracker dates it once that meeting exists.

Pure functions: strings and a base date in, a date (or None, never a guess) out.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, timedelta

from assistant.models import MeetingKind

_WEEKDAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
MONTH_NAMES = (
    "january february march april may june july august september october november december"
).split()
# Every word that names a month: the names and their short forms ("sept" too).
MONTH_WORDS = frozenset(MONTH_NAMES) | {m[:3] for m in MONTH_NAMES} | {"sept"}
_MONTH_NAMES = "|".join(MONTH_NAMES)
_MONTHS = _MONTH_NAMES + "|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
_UNITS = (
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty"
).split()
_ORDINAL_UNITS = (
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
    "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth"
).split()
# "twenty-first" .. "thirty-first" as well as "first" .. "twentieth"
ORDINAL_WORDS: dict[str, int] = {w: i for i, w in enumerate(_ORDINAL_UNITS, start=1)}
for _i, _w in enumerate(_ORDINAL_UNITS[:9], start=1):
    ORDINAL_WORDS[f"twenty-{_w}"] = 20 + _i
    ORDINAL_WORDS[f"twenty {_w}"] = 20 + _i
ORDINAL_WORDS["thirtieth"] = 30
ORDINAL_WORDS["thirty-first"] = ORDINAL_WORDS["thirty first"] = 31
NUMBER_WORDS: dict[str, int] = {w: i for i, w in enumerate(_UNITS, start=1)} | {"a": 1, "an": 1}

_ORD_WORD = "|".join(sorted((re.escape(w) for w in ORDINAL_WORDS), key=len, reverse=True))
_DAY = rf"(?:\d{{1,2}}(?:st|nd|rd|th)?|{_ORD_WORD})"
_COUNT = "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r"|\d+"
_PREP = r"(?:by|before|on|until|till|due|for|no later than|latest)"
_SERIES = (
    r"(?:the\s+|our\s+|next\s+week's\s+|the\s+next\s+|our\s+next\s+)?(?:next\s+)?"
    r"(?:qbr|quarterly(?:\s+business)?\s+review|business review|one-on-one|1:1|one on one|"
    r"monthly|(?:weekly\s+)?sync|weekly)"
)

_DUE_PATTERNS = [
    rf"\b(?:{_PREP}\s+)?(?:the\s+)?end\s+of\s+(?:the\s+|this\s+|next\s+)?"
    rf"(?:day|week|month|quarter|year|{_MONTHS}|q[1-4])\b",
    rf"\b(?:before|by|ahead of|prior to)\s+{_SERIES}\b",
    rf"\b{_PREP}\s+(?:this\s+|next\s+|the\s+)?(?:{_WEEKDAYS})(?:\s+next\s+week)?\b",
    rf"\b(?:this|next|coming)\s+(?:{_WEEKDAYS})\b",
    rf"\b(?:{_WEEKDAYS})\s+next\s+week\b",
    r"\b(?:tomorrow|tonight|today)\b",
    r"\b(?:eod|eow|eom|eoq|eoy)\b",
    r"\b(?:by\s+|before\s+)?next\s+(?:week|month)\b",
    rf"\bin\s+(?:{_COUNT})\s+(?:days?|weeks?|months?)\b",
    rf"\b(?:{_PREP}\s+)?(?:{_MONTHS})\.?\s+(?:the\s+)?{_DAY}\b",
    rf"\b(?:{_PREP}\s+)?(?:the\s+)?{_DAY}\s+(?:of\s+)?(?:{_MONTHS})\b",
    rf"\b{_PREP}\s+the\s+{_DAY}\b",
    r"\b(?:by|before|on|until|due)\s+\d{4}-\d{2}-\d{2}\b",
    r"\b(?:by|before|on|until|due)\s+\d{1,2}/\d{1,2}\b",
]
_DUE = re.compile("|".join(f"(?:{p})" for p in _DUE_PATTERNS), re.IGNORECASE)
_LEAD_PREP = re.compile(rf"^{_PREP}\s+", re.IGNORECASE)
_SERIES_KINDS = (
    (re.compile(r"qbr|quarterly|business review", re.I), MeetingKind.qbr),
    (re.compile(r"one-on-one|1:1|one on one|monthly", re.I), MeetingKind.monthly_1on1),
    (re.compile(r"sync|weekly", re.I), MeetingKind.weekly_sync),
)
# "may" is a month only with a day next to it ("May 5th"), never "may the fourth be with".
_MAY_VERB = re.compile(r"^(?:by\s+|on\s+)?may\s+(?:the\s+)?(?:first|second)\b", re.I)


def find_due_phrase(text: str) -> str | None:
    """The first due-date phrase in `text` ("by Friday", "end of the month"), or None."""
    for match in _DUE.finditer(text):
        phrase = match.group(0)
        if _MAY_VERB.match(phrase):
            continue
        return phrase
    return None


def series_kind(phrase: str | None) -> MeetingKind | None:
    """The kind of meeting a phrase waits for ("before the QBR" -> qbr), else None."""
    if not phrase or not re.match(r"(?:before|by|ahead of|prior to)\b", phrase.strip(), re.I):
        return None
    for pattern, kind in _SERIES_KINDS:
        if pattern.search(phrase):
            return kind
    return None


def _day_number(word: str) -> int | None:
    word = word.lower().strip()
    digits = re.fullmatch(r"(\d{1,2})(?:st|nd|rd|th)?", word)
    if digits:
        return int(digits.group(1))
    return ORDINAL_WORDS.get(word)


def _month_number(word: str) -> int:
    word = word.lower().rstrip(".")[:3]
    return [m[:3] for m in MONTH_NAMES].index(word) + 1


def _end_of_month(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _next_friday(day: date) -> date:
    return day + timedelta(days=(4 - day.weekday()) % 7)


def resolve_due(phrase: str, base: date) -> date | None:
    """Resolve a due phrase against the meeting date; the next such date on or after it.

    "next <weekday>" is that weekday in the week after the meeting's week (said on Tuesday
    6 Oct, "next Wednesday" is 14 Oct, while "Wednesday" is 7 Oct). Phrases tied to a later
    meeting ("before the QBR") resolve to None here (see `series_kind`).
    """
    words = _LEAD_PREP.sub("", phrase.strip().lower()).strip()
    words = re.sub(r"\s+", " ", re.sub(r"^the\s+", "", words))
    if series_kind(phrase) or re.match(r"(?:ahead of|prior to)\b", words):
        return None
    if words in {"eod", "today", "tonight", "end of day", "end of the day", "end of this day"}:
        return base
    if words == "tomorrow":
        return base + timedelta(days=1)
    if words in {"eow", "end of week", "end of the week", "end of this week"}:
        return _next_friday(base)
    if words in {"end of next week"}:
        return _next_friday(base) + timedelta(days=7)
    if words in {"next week"}:
        return _next_friday(base) + timedelta(days=7)
    if words in {"eom", "end of month", "end of the month", "end of this month"}:
        return _end_of_month(base.year, base.month)
    if words in {"next month", "end of next month"}:
        year, month = (base.year + 1, 1) if base.month == 12 else (base.year, base.month + 1)
        return _end_of_month(year, month)
    if words in {"eoq", "end of quarter", "end of the quarter", "end of this quarter"}:
        month = ((base.month - 1) // 3) * 3 + 3
        return _end_of_month(base.year, month)
    if words in {"eoy", "end of year", "end of the year", "end of this year"}:
        return date(base.year, 12, 31)
    end_q = re.fullmatch(r"end of (?:the )?q([1-4])", words)
    if end_q:
        month = int(end_q.group(1)) * 3
        year = base.year if _end_of_month(base.year, month) >= base else base.year + 1
        return _end_of_month(year, month)
    end_month = re.fullmatch(rf"end of (?:the )?({_MONTHS})", words)
    if end_month:
        month = _month_number(end_month.group(1))
        year = base.year if _end_of_month(base.year, month) >= base else base.year + 1
        return _end_of_month(year, month)
    weekday = re.fullmatch(rf"(?:(this|next|coming) )?({_WEEKDAYS})( next week)?", words)
    if weekday:
        target = list(calendar.day_name).index(weekday.group(2).capitalize())
        if weekday.group(1) == "next" or weekday.group(3):
            monday_next = base + timedelta(days=7 - base.weekday())
            return monday_next + timedelta(days=target)
        return base + timedelta(days=(target - base.weekday()) % 7)
    within = re.fullmatch(rf"in ({_COUNT}) (day|week|month)s?", words)
    if within:
        count = NUMBER_WORDS.get(within.group(1)) or int(within.group(1))
        unit = within.group(2)
        if unit == "month":
            year, month = divmod(base.month - 1 + count, 12)
            year, month = base.year + year, month + 1
            return date(year, month, min(base.day, calendar.monthrange(year, month)[1]))
        return base + timedelta(days=count * (7 if unit == "week" else 1))
    month_day = re.fullmatch(rf"({_MONTHS})\.? (?:the )?({_DAY})", words) or re.fullmatch(
        rf"({_DAY}) (?:of )?({_MONTHS})", words
    )
    if month_day:
        a, b = month_day.groups()
        month_word, day_word = (a, b) if re.match(rf"(?:{_MONTHS})\b", a) else (b, a)
        return _month_day(base, _month_number(month_word), _day_number(day_word))
    only_day = re.fullmatch(_DAY, words)
    if only_day:  # "by the 20th": that day this month, or next month once it has passed
        day = _day_number(words)
        return _day_of_month(base, day) if day else None
    return _parse_other(words, base)


def _parse_other(words: str, base: date) -> date | None:
    """ISO and numeric dates, through dateparser (deferred: a heavy import)."""
    import dateparser

    settings = {
        "RELATIVE_BASE": datetime.combine(base, datetime.min.time()),
        "PREFER_DATES_FROM": "future",
    }
    parsed = dateparser.parse(words, settings=settings)  # type: ignore[arg-type]
    return parsed.date() if parsed else None


def _month_day(base: date, month: int, day: int | None) -> date | None:
    if not day:
        return None
    for year in (base.year, base.year + 1):
        if day <= calendar.monthrange(year, month)[1]:
            candidate = date(year, month, day)
            # A date a little in the past was most likely meant as said ("the 2nd", spoken on
            # the 3rd, for work already late); far in the past means next year.
            if candidate >= base - timedelta(days=14):
                return candidate
    return None


def _day_of_month(base: date, day: int) -> date | None:
    for step in range(3):
        year, month = divmod(base.month - 1 + step, 12)
        year, month = base.year + year, month + 1
        if day <= calendar.monthrange(year, month)[1]:
            candidate = date(year, month, day)
            if candidate > base:  # "by the 6th" said on the 6th means next month's
                return candidate
        elif day > 31:
            return None
    return None


def find_due(text: str, base: date) -> date | None:
    """The due date said in `text`, resolved against `base`; None when no date was said."""
    phrase = find_due_phrase(text)
    return resolve_due(phrase, base) if phrase else None
