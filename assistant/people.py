"""The people directory's use: an item owned by someone on a known side takes that side."""

from __future__ import annotations

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


def apply_teams(drafts: list[DraftItem], people: list[Person]) -> list[DraftItem]:
    """What the directory says beats a team guessed from words."""
    out = []
    for draft in drafts:
        team = team_of(draft.owner, people)
        out.append(draft.model_copy(update={"team": team}) if team else draft)
    return out
