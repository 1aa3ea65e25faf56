"""AWS Transcribe output (`{"jobName", "results": {"transcripts", "items", "speaker_labels"}}`).

    results.items[]                 words ("pronunciation", with times) and punctuation
    results.speaker_labels.segments[].items[]    who spoke each word (by its start time)
    results.channel_labels.channels[]            per-channel items, when channels were split
    results.audio_segments[]        newer jobs: ready-made segments with a speaker label
    results.transcripts[0].transcript            the text alone, when nothing else is there
Speaker labels `spk_0`, `spk_1` become "Speaker 0", "Speaker 1"; channels "Channel 0"…
"""

from __future__ import annotations

from typing import Any

from assistant.errors import MalformedTranscript
from assistant.ingest.jsonvalues import seconds, type_name
from assistant.ingest.report import ParseReport
from assistant.ingest.turns import Cue
from assistant.ingest.words import Word, speaker_name, words_to_cues


def matches(data: Any) -> bool:
    """True for an AWS Transcribe job result."""
    if not isinstance(data, dict) or not isinstance(data.get("results"), dict):
        return False
    results = data["results"]
    return isinstance(results.get("transcripts"), list) or (
        isinstance(results.get("items"), list) and "channels" not in results
    )


def _list(value: Any, where: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise MalformedTranscript(f"{where} must be a list, got {type_name(value)}")
    return value


def _dict_items(value: Any, where: str) -> list[dict[str, Any]]:
    return [i for i in _list(value, where) if isinstance(i, dict)]


def _speakers_by_start(results: dict[str, Any]) -> dict[str, str]:
    """Word start time (as written) → speaker label, from `speaker_labels.segments`."""
    labels = results.get("speaker_labels")
    out: dict[str, str] = {}
    if not isinstance(labels, dict):
        return out
    for segment in _dict_items(labels.get("segments"), "results.speaker_labels.segments"):
        for item in _dict_items(segment.get("items"), "speaker_labels.segments[].items"):
            label = item.get("speaker_label") or segment.get("speaker_label")
            if isinstance(item.get("start_time"), str | int | float) and isinstance(label, str):
                out[str(item["start_time"])] = label
    return out


def _content(item: dict[str, Any]) -> str:
    alternatives = item.get("alternatives")
    if isinstance(alternatives, list) and alternatives and isinstance(alternatives[0], dict):
        content = alternatives[0].get("content")
        if isinstance(content, str):
            return content
    return ""


def _words(
    items: list[dict[str, Any]],
    where: str,
    report: ParseReport,
    by_start: dict[str, str],
    channel: str | None = None,
) -> list[Word]:
    words: list[Word] = []
    for i, item in enumerate(items):
        place = f"{where}[{i}]"
        start = seconds(item.get("start_time"), "start_time", place, report)
        end = seconds(item.get("end_time"), "end_time", place, report)
        label = item.get("speaker_label") or by_start.get(str(item.get("start_time")))
        speaker = speaker_name(label) if isinstance(label, str) else None
        if item.get("type") == "punctuation" and words:  # untimed: it follows its word
            start = end = words[-1].end_s
            speaker = words[-1].speaker
        words.append(
            Word(
                _content(item),
                start,
                end,
                speaker or (speaker_name(channel) if channel else None),
                punctuation=item.get("type") == "punctuation",
            )
        )
    return words


def _segments(results: dict[str, Any], report: ParseReport) -> list[Cue]:
    cues = []
    for i, seg in enumerate(_dict_items(results.get("audio_segments"), "audio_segments")):
        where = f"results.audio_segments[{i}]"
        text = seg.get("transcript")
        if not isinstance(text, str):
            continue
        label = seg.get("speaker_label") or seg.get("channel_label")
        cues.append(
            Cue(
                text,
                speaker_name(label) if isinstance(label, str) else None,
                seconds(seg.get("start_time"), "start_time", where, report),
                seconds(seg.get("end_time"), "end_time", where, report),
            )
        )
    return cues


def cues(data: dict[str, Any], report: ParseReport) -> list[Cue]:
    """The cues of an AWS Transcribe result."""
    results = data["results"]
    if cues_from_segments := _segments(results, report):
        return cues_from_segments
    by_start = _speakers_by_start(results)
    words = _words(_dict_items(results.get("items"), "results.items"), "results.items", report,
                   by_start)  # fmt: skip
    channels = results.get("channel_labels")
    if not words and isinstance(channels, dict):
        for n, channel in enumerate(_dict_items(channels.get("channels"), "channel_labels")):
            label = channel.get("channel_label")
            words += _words(
                _dict_items(channel.get("items"), "channel_labels.channels[].items"),
                f"results.channel_labels.channels[{n}].items",
                report,
                by_start,
                label if isinstance(label, str) else f"ch_{n}",
            )
        words.sort(key=lambda w: (w.start_s is None, w.start_s or 0.0))
    if words:
        return words_to_cues(words)
    texts = [t.get("transcript") for t in _dict_items(results.get("transcripts"), "transcripts")]
    return [Cue(text) for text in texts if isinstance(text, str)]
