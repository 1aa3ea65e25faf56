"""Speaker labels in front of the text (`Name: text`), decided for the whole file.

Zoom writes each participant's display name as they typed it: `potuz:`, `bond.credit:`,
`Greg K | Lido:`, `Danno Ferrin - Tectonic.xyz:`, `Łukasz Rozmej:`, and `Audio shared by Marco
De Rossi:` for shared audio. A rule for one line cannot tell `potuz: yes` from `so: yes`; the
file can. In a Zoom file nearly every cue opens with a label, and elsewhere a real name opens
many lines. So a label that merely looks like a display name is a speaker when most of the
file's lines open with a label, or when it opens at least `MIN_REPEATS` of them; a capitalised
name (`turns.is_speaker_name`) is a speaker wherever it appears, as before.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from assistant.ingest.turns import Cue, normalize_speaker, split_speaker

MIN_REPEATS = 3
LABELLED_SHARE = 0.6  # of a file's lines, for every display-name label to count
MAX_LABEL_WORDS = 7

# A label runs to the first colon, which must be followed by a space (or end the line): that
# leaves out URLs (`https://…`) and clocks (`10:30`).
# Chinese and Japanese write the full-width colon, with no space after it: `王小明：大家好`.
_LABEL = re.compile(r"^([^:：\n]{1,60}?)[ \t]{0,8}(?::(?:[ \t]+|$)|：\s*)(.*)$", re.S)
_SHARED_AUDIO = re.compile(r"^audio shared by\s+(.+)$", re.I)
_NOT_IN_NAMES = re.compile(r"[?!;\"“”…<>{}=*#]")
# Words that open sentences ("so: yes", "note: the deadline"), never a lower-case display name.
_FUNCTION_WORDS = frozenset(
    """a an and are as at be because but can did do does for from had has have he her here his
    how i if in is it its just let me my no not note now of oh ok okay on or our she so that the
    then there these they this to too um uh was we well were what when where which who why will
    with yeah yes you your also step question answer example tip warning update todo fyi
    ps""".split()
)


def display_name(label: str) -> bool:
    """True if `label` can be a display name as people type them in Zoom or Teams."""
    label = label.strip()
    if not label or len(label) > 60 or _NOT_IN_NAMES.search(label):
        return False
    if not (label[0].isalnum() or label[0] == "@") or not any(c.isalpha() for c in label):
        return False
    if "//" in label or label.lower().startswith(("http", "www.")):
        return False
    words = label.split()
    if len(words) > MAX_LABEL_WORDS:
        return False
    last = words[-1]
    if last.endswith(".") and len(last.rstrip(".")) > 2:  # "Okay." ends a sentence; "Nico C." not
        return False
    if _SHARED_AUDIO.match(label):
        return True
    plain = [w.strip("()|-,").lower() for w in words]
    return not any(w in _FUNCTION_WORDS for w in plain if w)


def canonical(label: str) -> str:
    """The speaker a label names: `Audio shared by Marco De Rossi` is Marco De Rossi."""
    label = normalize_speaker(label)
    if m := _SHARED_AUDIO.match(label):
        return normalize_speaker(m.group(1))
    return label


def _label_of(text: str) -> str | None:
    m = _LABEL.match(text.lstrip())
    if not m:
        return None
    label = normalize_speaker(m.group(1))
    return label if display_name(label) else None


def file_labels(texts: Iterable[str]) -> set[str]:
    """The display-name labels that are speakers in a file whose lines (or cue texts) are
    `texts`."""
    labels: Counter[str] = Counter()
    lines = 0
    for text in texts:
        if not text.strip():
            continue
        lines += 1
        if (label := _label_of(text)) is not None:
            labels[label] += 1
    if not labels:
        return set()
    dominated = sum(labels.values()) >= LABELLED_SHARE * lines
    return {label for label, n in labels.items() if dominated or n >= MIN_REPEATS}


def split_label(text: str, known: set[str]) -> tuple[str | None, str]:
    """(speaker, rest of the text): a capitalised name, or a label of `known`."""
    speaker, rest = split_speaker(text)
    if speaker is not None:
        return canonical(speaker), rest
    if known:
        m = _LABEL.match(text.lstrip())
        if m and normalize_speaker(m.group(1)) in known:
            return canonical(m.group(1)), m.group(2).strip()
    return None, text


def assign_speakers(cues: list[Cue]) -> None:
    """Give each cue without a speaker the label it opens with, when that label is a speaker
    in this file; the label leaves the text."""
    open_cues = [c for c in cues if c.speaker is None]
    known = file_labels(c.text for c in open_cues)
    for cue in open_cues:
        speaker, rest = split_label(cue.text, known)
        if speaker is not None:
            cue.speaker, cue.text = speaker, rest
