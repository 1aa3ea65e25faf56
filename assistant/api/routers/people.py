"""The people directory: who is on which side."""

from __future__ import annotations

from fastapi import APIRouter

from assistant.api.contract import Offset
from assistant.api.deps import LiaisonDep
from assistant.api.errors import error_responses
from assistant.api.paging import Limit, window
from assistant.api.schemas import PersonIn, PersonPage, Removed
from assistant.models import Person

router = APIRouter(tags=["people"])


@router.get("/people", response_model=PersonPage, summary="The people directory")
def list_people(liaison: LiaisonDep, limit: Limit = 200, offset: Offset = 0):
    """By name."""
    people, total = window(liaison.people(), limit, offset)
    return PersonPage(total=total, limit=limit, offset=offset, people=people)


@router.put("/people/{name}", response_model=Person, summary="Add someone or change their side")
def put_person(name: str, person: PersonIn, liaison: LiaisonDep):
    """The name is the path's; the person's items (not corrected by hand) take the new team."""
    saved = Person(name=name, team=person.team, title=person.title)
    liaison.save_person(saved)
    return saved.model_copy(update={"name": name.strip()})


@router.delete(
    "/people/{name}",
    response_model=Removed,
    summary="Remove someone",
    responses=error_responses(404),
)
def delete_person(name: str, liaison: LiaisonDep):
    liaison.remove_person(name)
    return Removed(removed=name)
