"""Speaker names: a meeting's speakers, renaming one (and undoing it), and aliases.

Renames are corrections of a meeting (members, as for items); aliases belong to the people
directory (leaders). The rules are in api/security.py (`/meetings*`, `/speakers*`).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from assistant.api.contract import IdPath, Offset
from assistant.api.deps import LiaisonDep
from assistant.api.errors import error_responses
from assistant.api.schemas import Removed
from assistant.api.schemas_speakers import AliasIn, AliasPage, RenameIn
from assistant.api.security import CurrentUser
from assistant.rename import AliasResult, MeetingSpeakers, RenameResult
from assistant.store.speakers import SpeakerRename

router = APIRouter()


@router.get(
    "/meetings/{meeting_id}/speakers",
    response_model=MeetingSpeakers,
    tags=["meetings"],
    summary="A meeting's speakers",
    responses=error_responses(404),
)
def meeting_speakers(meeting_id: IdPath, liaison: LiaisonDep):
    """Each speaker with their number of turns (null: turns with no name), the labels that
    name nobody ("Speaker 2"), and the renames made so far."""
    return liaison.meeting_speakers(meeting_id)


@router.post(
    "/meetings/{meeting_id}/speakers/rename",
    response_model=RenameResult,
    tags=["meetings"],
    summary="Rename a speaker in a meeting",
    responses=error_responses(404),
)
def rename_speaker(meeting_id: IdPath, body: RenameIn, liaison: LiaisonDep, user: CurrentUser):
    """Turns, attendees, search (`speaker=`), and the owners, texts and teams of items not
    corrected by hand follow; each item's history shows the change. Undoable as a whole."""
    return liaison.rename_speaker(
        meeting_id,
        body.speaker,
        body.name,
        turns=body.turn_list(),
        alias=body.alias,
        author=user.name,
    )


@router.post(
    "/meetings/{meeting_id}/speakers/undo",
    response_model=SpeakerRename,
    tags=["meetings"],
    summary="Undo the meeting's last speaker rename",
    responses=error_responses(404),
)
def undo_rename(meeting_id: IdPath, liaison: LiaisonDep):
    return liaison.undo_rename(meeting_id)


@router.get(
    "/speakers/aliases", response_model=AliasPage, tags=["people"], summary="Spellings of names"
)
def list_aliases(
    liaison: LiaisonDep,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
    offset: Offset = 0,
):
    """Other spellings of people's names ("DANA COLE", "Dana C." → "Dana Cole"): later
    transcripts get the name."""
    found, total = liaison.speaker_aliases(limit, offset)
    return AliasPage(total=total, limit=limit, offset=offset, aliases=found)


@router.post(
    "/speakers/aliases",
    response_model=AliasResult,
    tags=["people"],
    summary="Make a spelling another way of writing a name",
)
def post_alias(body: AliasIn, liaison: LiaisonDep, user: CurrentUser):
    """Stores (or changes) the alias. With `apply` (the default) every stored meeting where
    the spelling speaks is renamed, each undoable on its meeting."""
    return liaison.set_speaker_alias(body.alias, body.name, apply=body.apply, author=user.name)


@router.delete(
    "/speakers/aliases/{alias}",
    response_model=Removed,
    tags=["people"],
    summary="Forget an alias",
    responses=error_responses(404),
)
def delete_alias(alias: str, liaison: LiaisonDep):
    liaison.remove_speaker_alias(alias)
    return Removed(removed=alias)
