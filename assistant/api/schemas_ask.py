"""Request and response schemas for asking, the glossary and the tools watch."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from assistant.api.contract import Flag, IsoDate, StrictBody
from assistant.glossary import GlossaryTerm, Sense, TermUse
from assistant.tools import ApprovedTool, ToolFlag


class AskRequest(StrictBody):
    question: str = Field(min_length=1, max_length=2000)
    today: IsoDate | None = Field(default=None, description="Answer as of this date.")
    offline: Flag = Field(default=False, description="Do not use the LLM even if configured.")


class GlossaryOut(BaseModel):
    """Without `meeting`: every term. With it: the terms that meeting used (`uses`)."""

    meeting_id: int | None = None
    total: int = Field(default=0, description="How many terms (or uses) in all.")
    limit: int = 1000
    offset: int = 0
    terms: list[GlossaryTerm] = Field(default_factory=list)
    uses: list[TermUse] = Field(default_factory=list)


class SenseIn(Sense, StrictBody):
    pass


class GlossaryTermIn(StrictBody):
    term: str = Field(min_length=1, max_length=80)
    for_it: str = ""
    for_marketing: str = ""
    aliases: list[str] = Field(default_factory=list)
    senses: list[SenseIn] = Field(default_factory=list)
    case_sensitive: Flag | None = None


class ApprovedList(BaseModel):
    total: int = 0
    limit: int = 1000
    offset: int = 0
    approved: list[ApprovedTool]


class ApproveIn(StrictBody):
    name: str = Field(min_length=1, max_length=80)
    note: str = ""


class ToolFlags(BaseModel):
    since: date | None = None
    until: date | None = None
    total: int = 0
    limit: int = 1000
    offset: int = 0
    flags: list[ToolFlag]
