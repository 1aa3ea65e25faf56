"""Speaker names: what a rename changes, and aliases that make one person of two spellings.

Pure functions over turns, chunks and items; `assistant/rename.py` runs them against the store.

- `clean_name` checks a name a person typed ("Raj Mehta"); `is_placeholder` tells labels that
  name nobody across meetings ("Speaker 2", "SPEAKER_01", "spk_0", "Unknown") from real names.
- `resolve_speakers(turns, aliases)` gives turns the names their aliases stand for: the ingest
  pipeline calls it on a new transcript so a stored alias applies to later meetings too.
- `renamed_chunk_text`, `renamed_item` and `renamed_evidence` re-derive what depends on a name.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence

from pydantic import BaseModel, Field

from assistant.errors import InvalidInput
from assistant.models import Evidence, Item, Person, Turn
from assistant.people import team_of

MAX_NAME = 100
# Labels that diarization, captions and vendors give a voice they cannot name: a different
# person in every meeting, so never an alias.
_PLACEHOLDER = re.compile(
    r"^(?:(?:speaker|spk|voice|participant|guest|unknown|unknown speaker|person|channel|ch|"
    r"attendee|user|caller)[\s_-]*\d*|[a-z]|\d+|\?+|-+|—)$",
    re.I,
)


def is_placeholder(label: str | None) -> bool:
    """True for no label and for labels like "Speaker 2", "SPEAKER_01", "spk_0", "Unknown"."""
    return not label or not label.strip() or bool(_PLACEHOLDER.match(label.strip()))


def needs_names(attendees: Sequence[str], turn_count: int) -> bool:
    """Whether a meeting's speakers want naming, from its attendee list (for listings; the
    meeting's own page counts its unnamed turns)."""
    return turn_count > 0 and (not attendees or any(is_placeholder(a) for a in attendees))


def clean_name(name: str | None, what: str = "the new name") -> str:
    """A speaker name as typed, trimmed, with runs of spaces made one; refused (with the reason)
    when empty, too long, or holding a colon or a control character (a colon would end the
    name where transcripts and search chunks write `Name: text`)."""
    text = " ".join((name or "").split())
    if not text:
        raise InvalidInput(f"{what} is empty")
    if len(text) > MAX_NAME:
        raise InvalidInput(f"{what} is {len(text)} characters long; at most {MAX_NAME}")
    if any(unicodedata.category(c).startswith("C") for c in text):
        raise InvalidInput(f"{what} holds a control character")
    if ":" in text or "：" in text:
        raise InvalidInput(f"{what} cannot hold a colon ({text!r})")
    return text


def label_of(speaker: str | None) -> str | None:
    """How the CLI and the API name the turns without a speaker: None (given as '' or '-')."""
    if speaker is None:
        return None
    text = " ".join(speaker.split())
    return None if text in {"", "-", "—"} else text


def alias_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def resolve_speakers(turns: Sequence[Turn], aliases: Mapping[str, str]) -> list[Turn]:
    """Turns with each speaker an alias names replaced by that person's name (case and spacing
    ignored). Call on a new transcript's turns after its content hash is taken (so the same
    file uploaded again is still found) and before chunking and extraction."""
    if not aliases:
        return list(turns)
    by_key = {alias_key(k): v for k, v in aliases.items()}
    out = []
    for turn in turns:
        name = by_key.get(alias_key(turn.speaker)) if turn.speaker else None
        out.append(turn.model_copy(update={"speaker": name}) if name else turn)
    return out


def attendees(turns: Iterable[Turn]) -> list[str]:
    """Speakers in order of first appearance (as a meeting's attendee list is stored)."""
    return list(dict.fromkeys(t.speaker for t in turns if t.speaker))


def _render(turn: Turn) -> str:
    return f"{turn.speaker}: {turn.text}" if turn.speaker else turn.text


def renamed_chunk_text(text: str, before: Sequence[Turn], after: Sequence[Turn]) -> str:
    """A chunk's text with its turns' new speakers. `before` and `after` are the chunk's turns
    (turn_start..turn_end) before and after the rename. A window of whole turns is written
    again; a piece of one long turn gets the new name in front."""
    if text == "\n".join(_render(t) for t in before):
        return "\n".join(_render(t) for t in after)
    if len(before) == 1 and len(after) == 1:
        old, new = before[0].speaker, after[0].speaker
        body = text[len(old) + 2 :] if old and text.startswith(f"{old}: ") else text
        return f"{new}: {body}" if new else body
    # Text written some other way (an older chunker): rename the lines that name the speaker.
    lines = text.split("\n")
    for old, new in {(b.speaker, a.speaker) for b, a in zip(before, after, strict=True)}:
        if old and new and old != new:
            lines = [f"{new}: {ln[len(old) + 2 :]}" if ln.startswith(f"{old}: ") else ln
                     for ln in lines]  # fmt: skip
    return "\n".join(lines)


class ItemChange(BaseModel):
    """The fields a rename changes on one item (owner, text, team) and its evidence."""

    item_id: int
    fields: dict[str, str | None] = Field(default_factory=dict)  # field -> new value
    old: dict[str, str | None] = Field(default_factory=dict)  # field -> value before


def renamed_item(
    item: Item, old: str | None, new: str, owner_follows: bool, people: list[Person]
) -> ItemChange:
    """An item of the renamed meeting: a machine-set owner who was the old name becomes the new
    one (with the text that opens with it, and the directory's side for them); a field a
    person corrected stays as they left it."""
    change = ItemChange(item_id=item.id)
    edited = set(item.edited_fields)
    if (
        not old
        or not owner_follows
        or "owner" in edited
        or not item.owner
        or alias_key(item.owner) != alias_key(old)
    ):
        return change
    change.fields["owner"], change.old["owner"] = new, item.owner
    if "text" not in edited and item.text.startswith(f"{item.owner}:"):
        change.fields["text"] = f"{new}:{item.text[len(item.owner) + 1 :]}"
        change.old["text"] = item.text
    team = team_of(new, people)
    if "team" not in edited and team and team != item.team:
        change.fields["team"], change.old["team"] = team.value, item.team.value
    return change


def renamed_evidence(
    evidence: list[Evidence], meeting_id: int, new_speakers: Mapping[int, str | None]
) -> tuple[list[Evidence], dict[int, str | None]]:
    """Evidence quoting renamed turns of `meeting_id` with their new speaker, and the speaker
    each changed entry had before (by position: what an undo puts back)."""
    changed: dict[int, str | None] = {}
    out = []
    for pos, ev in enumerate(evidence):
        if ev.meeting_id == meeting_id and ev.turn_index in new_speakers:
            speaker = new_speakers[ev.turn_index]
            if speaker != ev.speaker:
                changed[pos] = ev.speaker
                ev = ev.model_copy(update={"speaker": speaker})
        out.append(ev)
    return out, changed


def restored_evidence(
    evidence: list[Evidence], meeting_id: int, old: Mapping[int, str | None]
) -> list[Evidence]:
    """Evidence with the speakers a rename changed put back (`old`: position -> speaker)."""
    out = list(evidence)
    for pos, speaker in old.items():
        if pos < len(out) and out[pos].meeting_id == meeting_id:
            out[pos] = out[pos].model_copy(update={"speaker": speaker})
    return out


def parse_turns(text: str | None) -> list[int] | None:
    """'3,5-9' -> [3, 5, 6, 7, 8, 9] (turn numbers as the meeting page shows them); None for
    all turns."""
    if text is None or not text.strip():
        return None
    out: list[int] = []
    for part in text.split(","):
        part = part.strip()
        match = re.fullmatch(r"(\d{1,7})(?:\s*-\s*(\d{1,7}))?", part)
        if not match:
            raise InvalidInput(f"turns must be numbers or ranges like 3,5-9, not {part!r}")
        first = int(match.group(1))
        last = int(match.group(2) or first)
        if last < first:
            raise InvalidInput(f"turn range {part!r} runs backwards")
        if last - first > 100_000:
            raise InvalidInput(f"turn range {part!r} is too long")
        out += range(first, last + 1)
    return sorted(set(out))
