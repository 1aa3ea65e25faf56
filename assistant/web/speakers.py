"""Renaming a meeting's speakers from its page (members), and undoing the last rename."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import RedirectResponse

from assistant.api.contract import IdPath
from assistant.api.deps import LiaisonDep
from assistant.api.security import CurrentUser
from assistant.errors import LiaisonError
from assistant.speakers import parse_turns
from assistant.web.common import back

router = APIRouter(include_in_schema=False)


@router.post("/app/meetings/{meeting_id}/speakers", response_class=RedirectResponse)
def rename_speaker(
    meeting_id: IdPath,
    liaison: LiaisonDep,
    user: CurrentUser,
    speaker: Annotated[str, Form()] = "",
    name: Annotated[str, Form()] = "",
    turns: Annotated[str, Form()] = "",
    alias: Annotated[str, Form()] = "",
    alias_asked: Annotated[str, Form()] = "",
):
    """One speaker's row of the meeting page: their name, optionally which turns, and (for a
    real name) whether later transcripts take it too (an unticked box sends nothing)."""
    target = f"/app/meetings/{meeting_id}#speakers"
    try:
        result = liaison.rename_speaker(
            meeting_id,
            speaker,
            name,
            turns=parse_turns(turns),
            alias=bool(alias) if alias_asked else None,
            author=user.name,
        )
    except LiaisonError as exc:
        return back(target, error=str(exc))
    r = result.rename
    note = f"; later transcripts too ({r.old_name!r} kept as an alias)" if result.alias else ""
    return back(
        target,
        ok=f"{r.old_name or 'Unnamed turns'} → {r.new_name}: {result.turns} turn(s),"
        f" {result.items} item(s) changed{note}",
    )


@router.post("/app/meetings/{meeting_id}/speakers/undo", response_class=RedirectResponse)
def undo_rename(meeting_id: IdPath, liaison: LiaisonDep, user: CurrentUser):
    target = f"/app/meetings/{meeting_id}#speakers"
    try:
        undone = liaison.undo_rename(meeting_id)
    except LiaisonError as exc:
        return back(target, error=str(exc))
    return back(target, ok=f"Undone: {undone.new_name} is {undone.old_name or 'unnamed'} again")
