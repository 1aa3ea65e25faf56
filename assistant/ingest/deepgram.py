"""Deepgram responses (`{"metadata", "results": {"channels": [...], "utterances": [...]}}`).

    results.utterances[]                          with `utterances=true`: speaker, start, end
    results.channels[].alternatives[0].words[]    `punctuated_word`, start, end, `speaker`
    results.channels[].alternatives[0].transcript the text alone
With `diarize=true` each word has a speaker number (0, 1…: "Speaker 0"); a multichannel
recording without diarization names its channels ("Channel 1"…).
"""

from __future__ import annotations

from typing import Any

from assistant.ingest.jsonvalues import seconds, speaker_of
from assistant.ingest.report import ParseReport
from assistant.ingest.turns import Cue
from assistant.ingest.words import Word, speaker_name, words_to_cues


def matches(data: Any) -> bool:
    """True for a Deepgram pre-recorded transcription response."""
    if not isinstance(data, dict) or not isinstance(data.get("results"), dict):
        return False
    results = data["results"]
    return isinstance(results.get("channels"), list) or isinstance(results.get("utterances"), list)


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _utterances(results: dict[str, Any], report: ParseReport) -> list[Cue]:
    cues = []
    for i, utt in enumerate(_dicts(results.get("utterances"))):
        where = f"results.utterances[{i}]"
        text = utt.get("transcript")
        if not isinstance(text, str):
            continue
        speaker = speaker_of(utt.get("speaker"), "speaker", where)
        if speaker is None and isinstance(utt.get("channel"), int) and len(_channels(results)) > 1:
            speaker = speaker_name(utt["channel"], "Channel")
        start = seconds(utt.get("start"), "start", where, report)
        end = seconds(utt.get("end"), "end", where, report)
        cues.append(Cue(text, speaker, start, end))
    return cues


def _channels(results: dict[str, Any]) -> list[dict[str, Any]]:
    return _dicts(results.get("channels"))


def _best(channel: dict[str, Any]) -> dict[str, Any]:
    alternatives = _dicts(channel.get("alternatives"))
    return alternatives[0] if alternatives else {}


def _words(results: dict[str, Any], report: ParseReport) -> list[Word]:
    channels = _channels(results)
    words = []
    for c, channel in enumerate(channels):
        for i, w in enumerate(_dicts(_best(channel).get("words"))):
            where = f"results.channels[{c}].alternatives[0].words[{i}]"
            text = w.get("punctuated_word") or w.get("word")
            if not isinstance(text, str):
                continue
            speaker = speaker_of(w.get("speaker"), "speaker", where)
            if speaker is None and len(channels) > 1:
                speaker = speaker_name(c, "Channel")
            start = seconds(w.get("start"), "start", where, report)
            words.append(Word(text, start, seconds(w.get("end"), "end", where, report), speaker))
    if len(channels) > 1:
        words.sort(key=lambda w: (w.start_s is None, w.start_s or 0.0))
    return words


def cues(data: dict[str, Any], report: ParseReport) -> list[Cue]:
    """The cues of a Deepgram response."""
    results = data["results"]
    if found := _utterances(results, report):
        return found
    if words := _words(results, report):
        return words_to_cues(words)
    texts = [_best(ch).get("transcript") for ch in _channels(results)]
    return [Cue(t) for t in texts if isinstance(t, str)]
