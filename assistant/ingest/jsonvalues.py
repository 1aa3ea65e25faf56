"""Reading values out of JSON transcripts: times that may be broken, speakers of many shapes.

A time that is not a finite number from 0 to MAX_TIME_S (`1e999`, `NaN`, `"inf"`, `"-50"`, a
400-digit number) is never stored: its cue keeps its words without that time, and the report
says so. A value of the wrong type altogether (a list where a time belongs) is an error.
"""

from __future__ import annotations

import math
from typing import Any

from assistant.errors import MalformedTranscript
from assistant.ingest.report import ParseReport
from assistant.ingest.timecode import parse_timecode
from assistant.ingest.words import speaker_name

MAX_TIME_S = 7 * 24 * 3600.0  # a week: beyond that a "time" is something else


def type_name(value: Any) -> str:
    return {bool: "boolean", int: "number", float: "number", str: "string", list: "list",
            dict: "object"}.get(type(value), type(value).__name__)  # fmt: skip


def pick(item: dict[str, Any], keys: tuple[str, ...]) -> tuple[str, Any]:
    """The first of `keys` that `item` has, with its value; (keys[0], None) if none."""
    for key in keys:
        if key in item and item[key] is not None:
            return key, item[key]
    return keys[0], None


def _ignored(report: ParseReport, where: str, key: str, value: Any) -> None:
    shown = value if isinstance(value, str) else type_name(value)
    if isinstance(value, float | int) and not isinstance(value, bool):
        shown = "a huge number" if len(str(value)) > 24 else str(value)
    report.add(
        "time ignored",
        "times ignored",
        "not a time from 0 to 7 days",
        where=f"{where}.{key}",
        example=str(shown)[:24],
    )


def seconds(
    value: Any, key: str, where: str, report: ParseReport, *, scale: float = 1.0
) -> float | None:
    """`value` (seconds, or `scale` seconds per unit: 0.001 for milliseconds) as seconds, or
    None when it is missing or not a usable time (reported)."""
    if value is None:
        return None
    if isinstance(value, dict):  # {"relative": 1.5, "absolute": "…"} (Recall.ai)
        inner = next((value[k] for k in ("relative", "seconds", "value") if k in value), None)
        if inner is None or isinstance(inner, dict):
            raise MalformedTranscript(f"{where}: '{key}' must be a number of seconds, got object")
        return seconds(inner, key, where, report, scale=scale)
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise MalformedTranscript(
            f"{where}: '{key}' must be a number of seconds, got {type_name(value)}"
        )
    if isinstance(value, str):
        raw = value.strip()
        try:
            if ":" in raw:
                number = parse_timecode(raw)
                scale = 1.0
            else:
                number = float(raw[:40]) if len(raw) <= 40 else math.inf
        except ValueError:
            _ignored(report, where, key, value)
            return None
    else:
        try:
            number = float(value)
        except OverflowError:  # an integer of hundreds of digits
            number = math.inf
    result = number * scale
    if not math.isfinite(result) or result < 0 or result > MAX_TIME_S:
        _ignored(report, where, key, value)
        return None
    return round(result, 3)


_PERSON_KEYS = ("name", "full_name", "display_name", "displayName", "username", "email", "id")


def speaker_of(value: Any, key: str, where: str) -> str | None:
    """A speaker from a string, a number (`Speaker 2`) or a participant object."""
    if value is None:
        return None
    if isinstance(value, dict):
        _, inner = pick(value, _PERSON_KEYS)
        if isinstance(inner, dict | list):
            inner = None
        return speaker_of(inner, key, where) if inner is not None else None
    if isinstance(value, int) and not isinstance(value, bool):
        return speaker_name(value)
    if not isinstance(value, str):
        raise MalformedTranscript(f"{where}: '{key}' must be a string, got {type_name(value)}")
    return speaker_name(value)
