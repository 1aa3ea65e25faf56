"""JSON transcripts: Whisper (`{"text", "segments": [...]}`), WhisperX and Whisper + pyannote
(segments with `speaker` / `speaker_id`), lists of `{speaker, text, start, end}` (bare, in JSON
Lines, or under `turns`, `utterances`, `transcript`…), meeting bots' `utterances` with a
`participant` and `start_ms`/`end_ms`, youtube-transcript-api's `[{text, start, duration}]`,
and the vendor shapes in aws.py and deepgram.py.

Malformed JSON is a per-file error, whatever its shape: nesting too deep, numbers too long, a
lone surrogate (replaced later, see __init__.py) never escape as another exception.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from assistant.errors import MalformedTranscript, UnsupportedFormat
from assistant.ingest import aws, deepgram
from assistant.ingest.jsonvalues import pick, seconds, speaker_of, type_name
from assistant.ingest.report import ParseReport
from assistant.ingest.timecode import check_span
from assistant.ingest.turns import Cue, build_turns
from assistant.models import ParsedTranscript

FORMAT = "json"
_LIST_KEYS = ("segments", "turns", "utterances", "transcript", "monologues", "captions",
              "entries", "transcripts")  # fmt: skip
_WRAPPER_KEYS = ("data", "result", "transcript", "transcription", "response")
_TEXT_KEYS = ("text", "content", "utterance", "transcript", "sentence", "caption")
_SPEAKER_KEYS = ("speaker", "speaker_name", "speakerName", "speaker_label", "speaker_id",
                 "speakerId", "participant", "name", "user", "author")  # fmt: skip
_WORD_TEXT_KEYS = ("punctuated_word", "word", "text", "content")
# (keys, seconds per unit): a key says whether it counts milliseconds.
_START_KEYS = (("start", "start_s", "start_time", "startTime", "start_seconds", "begin", "from",
                "timestamp", "start_timestamp"), 1.0)  # fmt: skip
_START_MS_KEYS = (("start_ms", "startMs", "start_time_ms", "startTimeMs", "offset_ms"), 0.001)
_END_KEYS = (("end", "end_s", "end_time", "endTime", "end_seconds", "to", "end_timestamp"), 1.0)
_END_MS_KEYS = (("end_ms", "endMs", "end_time_ms", "endTimeMs"), 0.001)
_DURATION_KEYS = (("duration", "dur"), 1.0)
_DURATION_MS_KEYS = (("duration_ms", "durationMs"), 0.001)
_MAX_WRAPPER_DEPTH = 3
# Integer times this sparse (under 3 words a minute if read as seconds) are milliseconds.
_MS_WORDS_PER_S = 0.05


def load(text: str) -> Any:
    """`json.loads`, with every failure a MalformedTranscript (at its line, where known).

    JSON Lines (one object per line) come back as a list.
    """
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        if e.msg == "Extra data" and (lines := _json_lines(text)) is not None:
            return lines
        raise MalformedTranscript(f"invalid JSON: {e.msg}", line=e.lineno) from None
    except RecursionError:
        raise MalformedTranscript("invalid JSON: nested too deeply") from None
    except ValueError as e:  # an integer of thousands of digits
        raise MalformedTranscript(f"invalid JSON: {str(e)[:80]}") from None


def _json_lines(text: str) -> list[Any] | None:
    items = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            items.append(json.loads(line))
        except json.JSONDecodeError as e:
            raise MalformedTranscript(f"invalid JSON Lines: {e.msg}", line=number) from None
        except (RecursionError, ValueError):
            raise MalformedTranscript("invalid JSON Lines", line=number) from None
    return items if len(items) > 1 and all(isinstance(i, dict) for i in items) else None


def _time(item: dict[str, Any], where: str, report: ParseReport, *groups) -> float | None:
    for keys, scale in groups:
        key, value = pick(item, keys)
        if value is not None:
            return seconds(value, key, where, report, scale=scale)
    return None


def _words_text(words: list[Any]) -> str:
    parts = []
    for w in words:
        if isinstance(w, dict):
            _, value = pick(w, _WORD_TEXT_KEYS)
            if isinstance(value, str | int | float) and not isinstance(value, bool):
                parts.append(str(value).strip())
    return " ".join(p for p in parts if p)


def _item_to_cue(item: Any, i: int, list_key: str, report: ParseReport) -> Cue:
    where = f"{list_key}[{i}]"
    if not isinstance(item, dict):
        raise MalformedTranscript(f"{where}: expected an object, got {type_name(item)}")
    key, text = pick(item, _TEXT_KEYS)
    if text is None:
        if isinstance(item.get("words"), list):  # word-level only: rebuild the text
            text = _words_text(item["words"])
        else:
            raise MalformedTranscript(f"{where}: no 'text'")
    if not isinstance(text, str):
        raise MalformedTranscript(f"{where}: '{key}' must be a string, got {type_name(text)}")
    key, speaker = pick(item, _SPEAKER_KEYS)
    speaker = speaker_of(speaker, key, where)
    start = _time(item, where, report, _START_KEYS, _START_MS_KEYS)
    end = _time(item, where, report, _END_KEYS, _END_MS_KEYS)
    words = item.get("words")
    if start is None and isinstance(words, list) and words and isinstance(words[0], dict):
        start = _time(words[0], f"{where}.words[0]", report, _START_KEYS, _START_MS_KEYS)
        last = words[-1]
        if end is None and isinstance(last, dict):
            end = _time(last, f"{where}.words[-1]", report, _END_KEYS, _END_MS_KEYS)
    if end is None and start is not None:
        duration = _time(item, where, report, _DURATION_KEYS, _DURATION_MS_KEYS)
        end = None if duration is None else round(start + duration, 3)
    end = check_span(start, end, shown=where, where=where, report=report)
    return Cue(text, speaker, start, end)


def _find_items(data: Any, depth: int = 0) -> tuple[str, list[Any]] | None:
    if isinstance(data, list):
        return "item", data
    if not isinstance(data, dict) or depth > _MAX_WRAPPER_DEPTH:
        return None
    for key in _LIST_KEYS:
        if key in data and data[key] is not None:
            if isinstance(data[key], list):
                return key, data[key]
            if not isinstance(data[key], dict | str):
                raise MalformedTranscript(f"'{key}' must be a list, got {type_name(data[key])}")
    for key in _WRAPPER_KEYS:
        if isinstance(data.get(key), dict) and (found := _find_items(data[key], depth + 1)):
            return found
    for key in _LIST_KEYS:
        if isinstance(data.get(key), dict):
            raise MalformedTranscript(f"'{key}' must be a list, got object")
    for key in ("text", "transcript"):  # Whisper with segments stripped: one turn
        if isinstance(data.get(key), str):
            return key, [{"text": data[key]}]
    return None


def _integer_times(items: list[Any]) -> bool:
    keys = _START_KEYS[0] + _END_KEYS[0]
    found = False
    for item in items[:2000]:
        if not isinstance(item, dict):
            continue
        for key in keys:
            value = item.get(key)
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, int):
                return False
            found = True
    return found


def _in_milliseconds(items: list[Any], cues: list[Cue]) -> bool:
    """True when whole-number times are far too sparse for seconds (AssemblyAI and others
    write `start: 250, end: 2000` in milliseconds)."""
    ends = [c.end_s or c.start_s or 0.0 for c in cues]
    longest = max(ends, default=0.0)
    if longest < 600 or not _integer_times(items):
        return False
    words = sum(len(c.text.split()) for c in cues)
    return words / longest < _MS_WORDS_PER_S


def _generic(data: Any, report: ParseReport) -> list[Cue]:
    found = _find_items(data)
    if found is None:
        raise UnsupportedFormat(
            "JSON is not a transcript: expected a list of {speaker, text, start, end}, or an "
            "object with 'segments' (Whisper/WhisperX), 'turns' or 'utterances', or an AWS "
            "Transcribe or Deepgram result"
        )
    list_key, items = found
    cues = [_item_to_cue(item, i, list_key, report) for i, item in enumerate(items)]
    if _in_milliseconds(items, cues):
        report.notes.append("times read as milliseconds (whole numbers, far apart)")
        for cue in cues:
            cue.start_s = None if cue.start_s is None else round(cue.start_s / 1000, 3)
            cue.end_s = None if cue.end_s is None else round(cue.end_s / 1000, 3)
    return cues


def _metadata(data: Any) -> tuple[str | None, date | None]:
    if not isinstance(data, dict):
        return None, None
    title = data.get("title")
    when = None
    if isinstance(data.get("date"), str):
        try:
            when = date.fromisoformat(data["date"][:10])
        except ValueError:
            when = None
    return (title.strip() if isinstance(title, str) and title.strip() else None), when


def parse(text: str) -> ParsedTranscript:
    """Parse a JSON transcript."""
    data = load(text)
    report = ParseReport()
    if aws.matches(data):
        cues = aws.cues(data, report)
    elif deepgram.matches(data):
        cues = deepgram.cues(data, report)
    else:
        cues = _generic(data, report)
    title, when = _metadata(data)
    return ParsedTranscript(
        format=FORMAT, turns=build_turns(cues), title=title, date=when, warnings=report.warnings()
    )
