"""The IT/marketing glossary, and the approved tools with shadow-IT flags (both are about the
words and tools the two sides bring to meetings)."""

from __future__ import annotations

from fastapi import APIRouter, status

from assistant.api.contract import IsoDate, Offset, OptionalId
from assistant.api.deps import LiaisonDep
from assistant.api.errors import error_responses
from assistant.api.paging import Limit, window
from assistant.api.schemas_ask import (
    ApprovedList,
    ApproveIn,
    GlossaryOut,
    GlossaryTermIn,
    ToolFlags,
)
from assistant.glossary import GlossaryTerm
from assistant.tools import ApprovedTool

router = APIRouter()


@router.get(
    "/glossary",
    response_model=GlossaryOut,
    tags=["glossary"],
    summary="Glossary",
    responses=error_responses(404),
)
def get_glossary(
    liaison: LiaisonDep, meeting: OptionalId = None, limit: Limit = 1000, offset: Offset = 0
):
    """All terms, by name; with `meeting`, the terms that meeting used (in order of first use),
    with counts and senses. `total` counts the terms (or the uses)."""
    if meeting is not None:
        uses, total = window(liaison.glossary.detect(meeting), limit, offset)
        return GlossaryOut(meeting_id=meeting, uses=uses, total=total, limit=limit, offset=offset)
    terms, total = window(liaison.glossary.terms(), limit, offset)
    return GlossaryOut(terms=terms, total=total, limit=limit, offset=offset)


@router.post(
    "/glossary",
    response_model=GlossaryTerm,
    status_code=status.HTTP_201_CREATED,
    tags=["glossary"],
    summary="Add a term",
)
def add_term(body: GlossaryTermIn, liaison: LiaisonDep):
    """Add or replace a term; terms added here override the built-in ones."""
    return liaison.glossary.add(body.model_dump())


@router.get(
    "/tools/approved", response_model=ApprovedList, tags=["tools"], summary="Approved tools"
)
def approved_tools(liaison: LiaisonDep, limit: Limit = 1000, offset: Offset = 0):
    """By name."""
    approved, total = window(liaison.tools.approved(), limit, offset)
    return ApprovedList(approved=approved, total=total, limit=limit, offset=offset)


@router.post(
    "/tools/approved",
    response_model=ApprovedTool,
    status_code=status.HTTP_201_CREATED,
    tags=["tools"],
    summary="Approve a tool",
)
def approve_tool(body: ApproveIn, liaison: LiaisonDep):
    return liaison.tools.approve(body.name, body.note)


@router.get("/tools/flags", response_model=ToolFlags, tags=["tools"], summary="Shadow-IT flags")
def tool_flags(
    liaison: LiaisonDep,
    since: IsoDate | None = None,
    until: IsoDate | None = None,
    limit: Limit = 1000,
    offset: Offset = 0,
):
    """Tools mentioned in meetings that are not approved; adoption signals first."""
    flags, total = window(liaison.tools.flags(since, until), limit, offset)
    return ToolFlags(since=since, until=until, flags=flags, total=total, limit=limit, offset=offset)
