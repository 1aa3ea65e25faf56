"""From raw cues to turns: speaker-name recognition, caption clean-up, and merging.

Every format module produces `Cue`s (one caption, one line, one segment…) and hands them to
`build_turns`, so merging rules and the notion of "what is a speaker name" live in one place.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass

from assistant import unspaced
from assistant.models import Turn

MAX_MERGE_GAP_S = 30.0
MAX_MERGED_WORDS = 400
MAX_SPEAKER_WORDS = 5

# Lower-case particles allowed inside a name ("Ana de la Cruz", "Ludwig van Beethoven").
_PARTICLES = {"de", "del", "della", "da", "di", "du", "la", "le", "van", "von", "der", "den", "bin",
              "al", "el", "y", "dos", "das", "st."}  # fmt: skip
_TITLES = {"dr.", "mr.", "mrs.", "ms.", "prof.", "st.", "jr.", "sr.", "mx.", "hon.", "rev."}
# Generic labels that recognisers emit: "Speaker 1", "SPEAKER_00", "Unknown Speaker".
_GENERIC = re.compile(
    r"^(?:speaker|participant|guest|person|spk|unknown speaker)[ _-]?\d{0,3}$", re.I
)
# A capitalised word of any script ("Łukasz", "Ólafur", "d'Entremont"); see `_name_word`.
_NAME_WORD_SHAPE = re.compile(r"^(?:[a-z]{1,2}['’])?([^\W\d_])[\w.'’\-]*$")
_SPEAKER_LINE = re.compile(r"^([^:\n]{1,120}?)[ \t]{0,8}:\s*(.*)$", re.S)  # bounded: linear
# `[^<>]`: a line of many `<` and no `>` fails fast at each `<` instead of rescanning the line.
_TAG = re.compile(r"<[^<>]*>")
_SENTENCE_END = re.compile(r"[.!?…。！？][\"'”’)\]」』]*$")


@dataclass
class Cue:
    """One piece of speech as found in the file, before merging. `line` is 1-based."""

    text: str
    speaker: str | None = None
    start_s: float | None = None
    end_s: float | None = None
    line: int | None = None


def _name_word(word: str) -> bool:
    m = _NAME_WORD_SHAPE.match(word)
    return bool(m and m.group(1).isupper())


def is_speaker_name(name: str) -> bool:
    """True if `name` can be a speaker label: short, capitalised words, not a URL or a clock.

    Accepts "Priya Shah", "Dr. Ana de la Cruz", "Speaker 1", "SPEAKER_00", "Priya Shah (IT)".
    """
    name = re.sub(r"\s*\([^()]{1,80}\)$", "", name.strip())  # "Sam Ortiz (IT)"
    if not name or len(name) > 60:
        return False
    if _GENERIC.match(name):
        return True
    words = name.split()
    if len(words) > MAX_SPEAKER_WORDS:
        return False
    if not _name_word(words[0]):
        return False
    # "Okay. Recap" is a sentence, "Dr. Ana Ruiz" and "J. Doe" are names.
    if any(w.endswith(".") and len(w) > 2 and w.lower() not in _TITLES for w in words[:-1]):
        return False
    return all(_name_word(w) or w.lower() in _PARTICLES for w in words[1:])


def split_speaker(line: str) -> tuple[str | None, str]:
    """Split `Name: text` into (name, text); (None, line) when the prefix is not a name.

    A URL (`https://…`) or a clock (`10:30`) is not a speaker.
    """
    m = _SPEAKER_LINE.match(line)
    if not m:
        return None, line
    name, rest = m.group(1).strip(), m.group(2)
    if rest.startswith("//") or not is_speaker_name(name):
        return None, line
    return normalize_speaker(name), rest.strip()


def normalize_speaker(name: str) -> str:
    """Collapse whitespace in a speaker label."""
    return " ".join(name.split())


def clean_caption_text(text: str) -> str:
    """Drop markup (`<i>`, `<c.x>`, `<00:00:01.000>`), decode entities, collapse whitespace."""
    return " ".join(html.unescape(_TAG.sub("", text)).split())


# Speech rate used to guess when a start-only cue ended (150 words per minute).
_WORDS_PER_S = 2.5


def _can_merge(prev: Turn, prev_end: float | None, cue: Cue) -> bool:
    if prev.speaker != cue.speaker:
        return False
    gap = None if prev_end is None or cue.start_s is None else cue.start_s - prev_end
    if gap is not None and gap > MAX_MERGE_GAP_S:
        return False
    if unspaced.size(prev.text) + unspaced.size(cue.text) > MAX_MERGED_WORDS:
        return False
    if cue.speaker is None:
        # Without speakers we only glue caption fragments back into sentences.
        return not _SENTENCE_END.search(prev.text)
    return True


def _known(
    choose: Callable[[float, float], float], a: float | None, b: float | None
) -> float | None:
    """`choose(a, b)`, ignoring an unknown (None) side."""
    if a is None or b is None:
        return b if a is None else a
    return choose(a, b)


def _end_estimate(cue: Cue) -> float | None:
    if cue.end_s is not None:
        return cue.end_s
    if cue.start_s is None:
        return None
    return cue.start_s + unspaced.size(cue.text) / _WORDS_PER_S


def build_turns(cues: list[Cue], *, fill_ends: bool = False) -> list[Turn]:
    """Turn cues into indexed turns: strip text, drop empty cues, merge same-speaker runs.

    Consecutive cues of one speaker merge (earliest start, latest end) unless the silence
    between them exceeds 30 s or the merged turn would pass ~400 words (a character of
    Chinese or Japanese counts as a word). With `fill_ends`
    (formats that only stamp starts: Otter, `[00:01:02] Name:`) a turn without an end ends
    when the next one starts, unless that is more than 30 s after its words could have been
    said; then, like the last turn, it keeps `end_s=None`.
    """
    turns: list[Turn] = []
    ends: list[float | None] = []  # known or estimated end of each turn, for the gap rule
    for raw in cues:
        text = unspaced.tidy(raw.text)
        if not text:
            continue
        cue = Cue(text, raw.speaker or None, raw.start_s, raw.end_s, raw.line)
        if turns and _can_merge(turns[-1], ends[-1], cue):
            prev = turns[-1]
            prev.text = unspaced.join(prev.text, text)
            prev.start_s = _known(min, prev.start_s, cue.start_s)
            prev.end_s = _known(max, prev.end_s, cue.end_s)
            ends[-1] = _known(max, ends[-1], _end_estimate(cue))
            continue
        turns.append(Turn(index=len(turns), speaker=cue.speaker, text=text, start_s=cue.start_s,
                          end_s=cue.end_s))  # fmt: skip
        ends.append(_end_estimate(cue))
    if fill_ends:
        for turn, est, nxt in zip(turns, ends, turns[1:], strict=False):
            if turn.end_s is not None or est is None or nxt.start_s is None:
                continue
            # The next turn's start is this one's end, unless a long silence lies between.
            if nxt.start_s - est <= MAX_MERGE_GAP_S:
                turn.end_s = max(turn.start_s or 0.0, nxt.start_s)
    return turns
