"""JSON transcripts: Whisper (`{"text", "segments": [...]}`), WhisperX (segments with
`speaker`), and generic lists of `{speaker, text, start, end}` (bare, or under `turns`,
`utterances` or `transcript`)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from assistant.errors import MalformedTranscript, UnsupportedFormat
from assistant.ingest.timecode import check_span, parse_timecode
from assistant.ingest.turns import Cue, build_turns, normalize_speaker
from assistant.models import ParsedTranscript

FORMAT = "json"
_LIST_KEYS = ("segments", "turns", "utterances", "transcript", "monologues")
_TEXT_KEYS = ("text", "content", "utterance", "transcript")
_SPEAKER_KEYS = ("speaker", "speaker_name", "name")
_START_KEYS = ("start", "start_s", "start_time")
_END_KEYS = ("end", "end_s", "end_time")


def load(text: str) -> Any:
    """`json.loads`, with a JSON syntax error reported at its line."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise MalformedTranscript(f"invalid JSON: {e.msg}", line=e.lineno) from None


def _pick(item: dict[str, Any], keys: tuple[str, ...]) -> tuple[str, Any]:
    for key in keys:
        if key in item:
            return key, item[key]
    return keys[0], None


def _type_name(value: Any) -> str:
    return {bool: "boolean", int: "number", float: "number", str: "string", list: "list",
            dict: "object"}.get(type(value), type(value).__name__)  # fmt: skip


def _seconds(item: dict[str, Any], keys: tuple[str, ...], where: str) -> float | None:
    key, value = _pick(item, keys)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise MalformedTranscript(
            f"{where}: '{key}' must be a number of seconds, got {_type_name(value)}"
        )
    if isinstance(value, str):
        try:
            return parse_timecode(value) if ":" in value else float(value)
        except ValueError:
            raise MalformedTranscript(f"{where}: broken timestamp '{key}': {value!r}") from None
    if value < 0:
        raise MalformedTranscript(f"{where}: '{key}' is negative ({value})")
    return float(value)


def _item_to_cue(item: Any, i: int, list_key: str) -> Cue:
    where = f"{list_key}[{i}]"
    if not isinstance(item, dict):
        raise MalformedTranscript(f"{where}: expected an object, got {_type_name(item)}")
    key, text = _pick(item, _TEXT_KEYS)
    if text is None:
        if isinstance(item.get("words"), list):  # word-level only: rebuild the text
            text = " ".join(
                str(w.get("word", "")).strip() for w in item["words"] if isinstance(w, dict)
            )
        else:
            raise MalformedTranscript(f"{where}: no 'text'")
    if not isinstance(text, str):
        raise MalformedTranscript(f"{where}: '{key}' must be a string, got {_type_name(text)}")
    key, speaker = _pick(item, _SPEAKER_KEYS)
    if isinstance(speaker, int) and not isinstance(speaker, bool):
        speaker = f"Speaker {speaker}"
    if speaker is not None and not isinstance(speaker, str):
        raise MalformedTranscript(f"{where}: '{key}' must be a string, got {_type_name(speaker)}")
    start = _seconds(item, _START_KEYS, where)
    end = check_span(start, _seconds(item, _END_KEYS, where), shown=where)
    return Cue(text, normalize_speaker(speaker) if speaker else None, start, end)


def _find_items(data: Any) -> tuple[str, list[Any]]:
    if isinstance(data, list):
        return "item", data
    if isinstance(data, dict):
        for key in _LIST_KEYS:
            if key in data:
                if not isinstance(data[key], list):
                    raise MalformedTranscript(
                        f"'{key}' must be a list, got {_type_name(data[key])}"
                    )
                return key, data[key]
        if isinstance(data.get("text"), str):  # Whisper with segments stripped: one turn
            return "text", [{"text": data["text"]}]
    raise UnsupportedFormat(
        "JSON is not a transcript: expected a list of {speaker, text, start, end}, or an "
        "object with 'segments' (Whisper/WhisperX), 'turns' or 'utterances'"
    )


def parse(text: str) -> ParsedTranscript:
    """Parse a JSON transcript."""
    data = load(text)
    list_key, items = _find_items(data)
    cues = [_item_to_cue(item, i, list_key) for i, item in enumerate(items)]
    title = data.get("title") if isinstance(data, dict) else None
    when = None
    if isinstance(data, dict) and isinstance(data.get("date"), str):
        try:
            when = date.fromisoformat(data["date"][:10])
        except ValueError:
            when = None
    return ParsedTranscript(
        format=FORMAT,
        turns=build_turns(cues),
        title=title if isinstance(title, str) and title.strip() else None,
        date=when,
    )
