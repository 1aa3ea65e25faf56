"""Numbers as people say them in meetings, with the unit said next to them.

"sixty-two percent", "one point eight seconds", "£36", "two hundred and eighty thousand",
"1,140 tickets": `numbers(tokens)` finds each with its unit family. Ordinals ("the twenty-third"),
years, times of day and numbers glued to letters ("Q3", "p95") are not numbers here: they are
dates and names, never a KPI's value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.extract.dates import MONTH_WORDS

TOKEN = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?|[A-Za-z][A-Za-z0-9]*(?:['’][A-Za-z]+)?|[%£$€?:;,.]")

SMALL = {
    w: n
    for n, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen"
        " fifteen sixteen seventeen eighteen nineteen".split()
    )
}
TENS = {
    w: 10 * (n + 2)
    for n, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split())
}
SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "k": 1_000, "m": 1_000_000}

# Unit families of what follows (or precedes) a number.
PERCENT_WORDS = {"percent", "%", "pc"}
SECOND_WORDS = {"s", "sec", "secs", "second", "seconds"}
MS_WORDS = {"ms", "millisecond", "milliseconds"}
MINUTE_WORDS = {"min", "mins", "minute", "minutes"}
MONEY_WORDS = {
    "pounds": "GBP", "pound": "GBP", "quid": "GBP", "£": "GBP",
    "dollars": "USD", "dollar": "USD", "bucks": "USD", "$": "USD",
    "euros": "EUR", "euro": "EUR", "€": "EUR",
}  # fmt: skip
ORDINALS = frozenset(
    "first third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth"
    " fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth thirtieth"
    " st nd rd th".split()
)
OTHER_UNITS = {"days", "day", "weeks", "week", "hours", "hour", "months", "month", "years", "year"}


@dataclass
class Number:
    value: float
    start: int  # first token
    end: int  # one past the last token, unit included
    unit: str  # "percent", "seconds", "GBP"…, a following word, or "" (bare)
    scaled: bool = False  # said with "thousand"/"million"/"k"


def tokens(text: str) -> list[str]:
    return TOKEN.findall(text.replace("per cent", "percent"))


def _digits(token: str) -> float | None:
    if not token[0].isdigit():
        return None
    try:
        return float(token.replace(",", ""))
    except ValueError:
        return None


def _spoken(toks: list[str], i: int) -> tuple[float, int] | None:
    """The spoken number starting at token i ("two hundred and fifty-five", "one point eight",
    "a hundred and forty"), and the index after it."""
    low = [t.lower() for t in toks]
    n = len(low)
    total, current, seen, j = 0.0, 0.0, False, i
    if j + 1 < n and low[j] == "a" and low[j + 1] in ("hundred", "thousand", "million"):
        current, seen, j = 1.0, True, j + 1
    while j < n:
        w = low[j]
        if w in SMALL and not (seen and current % 10 and current < 100 and current % 100 < 20):
            current += SMALL[w]
        elif w in TENS and current % 100 == 0:
            current += TENS[w]
        elif w == "hundred" and seen and 0 < current < 100:
            current *= 100
        elif w in ("thousand", "million") and seen:
            total += (current or 1) * SCALES[w]
            current = 0
        elif w == "and" and seen and j + 1 < n and (low[j + 1] in SMALL or low[j + 1] in TENS):
            pass
        elif w == "point" and seen and j + 1 < n and low[j + 1] in SMALL:
            places, k = "", j + 1
            while k < n and low[k] in SMALL and SMALL[low[k]] < 10:
                places += str(SMALL[low[k]])
                k += 1
            if not places:
                break
            return total + current + float("0." + places), k
        else:
            break
        seen = True
        j += 1
    if not seen:
        return None
    return total + current, j


def _unit(low: list[str], j: int) -> tuple[str, int]:
    """The unit family said at token j, and the index after it."""
    w = low[j] if j < len(low) else ""
    if w in PERCENT_WORDS:
        return "percent", j + 1
    if w in SECOND_WORDS:
        return "seconds", j + 1
    if w in MS_WORDS:
        return "ms", j + 1
    if w in MINUTE_WORDS:
        return "minutes", j + 1
    if w in MONEY_WORDS:
        return MONEY_WORDS[w], j + 1
    if w in ("points", "point") or w in OTHER_UNITS:
        return w, j + 1
    if w.isalpha():
        return "word:" + w, j  # a noun after the number ("nine dashboards"): not consumed
    return "", j


def numbers(toks: list[str]) -> list[Number]:
    """Every cardinal number in the tokens, with its unit; dates and names left out."""
    low = [t.lower() for t in toks]
    out: list[Number] = []
    i = 0
    while i < len(toks):
        prefix = MONEY_WORDS.get(low[i]) if low[i] in ("£", "$", "€") else None
        start = i
        if prefix:
            i += 1
            if i >= len(toks):
                break
        value, j = None, i
        digits = _digits(toks[i])
        if digits is not None:
            value, j = digits, i + 1
        else:
            spoken = _spoken(toks, i)
            if spoken:
                value, j = spoken
        if value is None:
            i = start + 1
            continue
        # Dates and times: "October 20", "20 October", "2026", "9:30".
        before = low[start - 1] if start else ""
        after = low[j] if j < len(low) else ""
        is_year = digits is not None and 1900 <= value <= 2100 and float(value).is_integer()
        ordinal = after in ORDINALS or (after == "second" and before == "the")
        dated = before in MONTH_WORDS or after in MONTH_WORDS
        if dated or ":" in (before, after) or is_year or ordinal:
            i = j + (1 if ordinal else 0)
            continue
        scaled = any(w in ("thousand", "million") for w in low[i:j])
        while j < len(low) and low[j] in SCALES and low[j] != "hundred":
            value *= SCALES[low[j]]
            scaled, j = True, j + 1
        unit, end = (prefix, j) if prefix else _unit(low, j)
        if prefix and j < len(low) and low[j] in MONEY_WORDS:
            end = j + 1
        out.append(Number(value=value, start=start, end=end, unit=unit, scaled=scaled))
        i = max(end, j)
    return out
