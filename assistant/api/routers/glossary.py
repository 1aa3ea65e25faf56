"""The IT/marketing glossary, and the approved tools with shadow-IT flags (both are about the
words and tools the two sides bring to meetings)."""

from __future__ import annotations

from fastapi import APIRouter, status

from assistant.api.contract import IsoDate, OptionalId
from assistant.api.deps import LiaisonDep
from assistant.api.errors import error_responses
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
def get_glossary(liaison: LiaisonDep, meeting: OptionalId = None):
    """All terms; with `meeting`, the terms that meeting used, with counts and senses."""
    if meeting is not None:
        return GlossaryOut(meeting_id=meeting, uses=liaison.glossary.detect(meeting))
    return GlossaryOut(terms=liaison.glossary.terms())


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
def approved_tools(liaison: LiaisonDep):
    return ApprovedList(approved=liaison.tools.approved())


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
def tool_flags(liaison: LiaisonDep, since: IsoDate | None = None, until: IsoDate | None = None):
    """Tools mentioned in meetings that are not approved; adoption signals first."""
    return ToolFlags(since=since, until=until, flags=liaison.tools.flags(since, until))
