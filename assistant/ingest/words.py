"""Word-level transcripts (AWS Transcribe, Deepgram, Recall) back into cues.

Recognisers that diarize give one speaker per word; a cue is a run of words of one speaker,
cut after a sentence end or a long pause, so turns can later be split at sentence ends.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant import unspaced
from assistant.ingest.turns import Cue

MAX_PAUSE_S = 2.0
_SENTENCE_END = (".", "?", "!", "…", "。", "？", "！")


@dataclass
class Word:
    text: str
    start_s: float | None = None
    end_s: float | None = None
    speaker: str | None = None
    punctuation: bool = False  # joins the previous word without a space (`,` `.`)


def speaker_name(label: str | int | None, prefix: str = "Speaker") -> str | None:
    """`spk_1` / `1` / `SPEAKER_01` → "Speaker 1" style names; other labels kept as they are."""
    if label is None or isinstance(label, bool):
        return None
    if isinstance(label, int):
        return f"{prefix} {label}"
    label = " ".join(str(label).split())
    for raw in ("spk_", "ch_"):
        if label.lower().startswith(raw) and label[len(raw) :].isdigit():
            name = "Channel" if raw == "ch_" else prefix
            return f"{name} {int(label[len(raw) :])}"
    return label or None


def words_to_cues(words: list[Word]) -> list[Cue]:
    """Group words into cues: a new cue at a change of speaker, after a sentence end, or
    after a pause of more than MAX_PAUSE_S."""
    cues: list[Cue] = []
    current: Cue | None = None
    last_end: float | None = None
    for word in words:
        text = word.text.strip()
        if not text:
            continue
        if current is not None and word.punctuation:
            current.text += text
            current.end_s = word.end_s if word.end_s is not None else current.end_s
            continue
        pause = (
            word.start_s - last_end if word.start_s is not None and last_end is not None else 0.0
        )
        if (
            current is None
            or word.speaker != current.speaker
            or current.text.endswith(_SENTENCE_END)
            or pause > MAX_PAUSE_S
        ):
            current = Cue(text, word.speaker, word.start_s, word.end_s)
            cues.append(current)
        else:
            current.text = unspaced.join(current.text, text)
            if word.end_s is not None:
                current.end_s = word.end_s
            if current.start_s is None:
                current.start_s = word.start_s
        if word.end_s is not None:
            last_end = word.end_s
    return cues
