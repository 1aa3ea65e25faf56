"""The people directory's use: an item owned by someone on a known side takes that side."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from assistant.errors import InvalidInput
from assistant.models import DraftItem, Person, Team


def clean_person(person: Person) -> Person:
    """The name trimmed; a blank name refused."""
    name = person.name.strip()
    if not name:
        raise InvalidInput("a person needs a name")
    return person.model_copy(update={"name": name})


def team_of(owner: str | None, people: list[Person]) -> Team | None:
    """The side of an owner named in full, or by a first name only one person has."""
    owner = (owner or "").strip().lower()
    if not owner:
        return None
    for person in people:
        if person.name.lower() == owner:
            return person.team
    same_first = [p.team for p in people if p.name.split()[0].lower() == owner]
    return same_first[0] if len(same_first) == 1 else None


def full_name(owner: str | None, names: list[str]) -> str | None:
    """'Raj' -> 'Raj Mehta' when one known person has that first name; else as said."""
    if not owner:
        return owner
    said = owner.strip()
    if any(n.lower() == said.lower() for n in names):
        return next(n for n in names if n.lower() == said.lower())
    same_first = {n for n in names if n.split()[0].lower() == said.lower() and " " in n}
    return same_first.pop() if len(same_first) == 1 else said


def apply_directory(
    drafts: list[DraftItem],
    people: list[Person],
    speakers: Sequence[str] = (),
    aliases: Mapping[str, str] | None = None,
) -> list[DraftItem]:
    """Owners by their full names (from the directory and the meeting's speakers; `aliases`,
    alias -> name, as `Liaison.speaker_names.alias_map()` gives them, turn another spelling
    into the name), and the directory's side beats a team guessed from words. Used for every
    extractor's items."""
    names = list(dict.fromkeys([p.name for p in people] + [s for s in speakers if s]))
    by_alias = {" ".join(k.split()).casefold(): v for k, v in (aliases or {}).items()}
    out = []
    for draft in drafts:
        said = draft.owner
        if said and (alias := by_alias.get(" ".join(said.split()).casefold())):
            said = alias
        owner = full_name(said, names)
        update: dict = {}
        if owner != draft.owner:
            update["owner"] = owner
            if draft.owner and draft.text.startswith(f"{draft.owner}:"):
                update["text"] = f"{owner}:{draft.text[len(draft.owner) + 1 :]}"
        team = team_of(owner, people)
        if team:
            update["team"] = team
        out.append(draft.model_copy(update=update) if update else draft)
    return out
