"""Request and response schemas of the HTTP API (separate from the stored records)."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from assistant.models import KPI, Item, Meeting, Milestone, SearchHit, Team, Turn


class FileResult(BaseModel):
    source: str
    meeting_id: int | None = None
    duplicate_of: int | None = None
    items: int = 0
    error: str | None = None
    line: int | None = None


class UploadResult(BaseModel):
    meeting_ids: list[int] = Field(description="Meetings newly stored by this upload.")
    files: list[FileResult]


class MeetingPage(BaseModel):
    total: int
    limit: int
    offset: int
    meetings: list[Meeting]


class MeetingOut(BaseModel):
    meeting: Meeting
    turns: list[Turn]


class Deleted(BaseModel):
    deleted: int


class Removed(BaseModel):
    removed: str


class SearchOut(BaseModel):
    query: str
    hits: list[SearchHit]


class Health(BaseModel):
    status: str
    version: str
    meetings: int
    chunks: int
    embedder: str
    index: str


class ItemPage(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[Item]


class ItemPatch(BaseModel):
    """Fields a person may correct; omitted fields stay as they are, null clears."""

    text: str | None = None
    owner: str | None = None
    team: Team | None = None
    due: date | None = None
    goal_id: str | None = None
    status: str | None = None


class ParkedItem(Item):
    age_days: int


class GoalPatch(BaseModel):
    title: str | None = None
    description: str | None = None
    side: Team | None = None
    kpis: list[KPI] | None = None
    milestones: list[Milestone] | None = None


class PersonIn(BaseModel):
    """Someone's side, for `PUT /people/{name}`: the name is the path's (one in the body is
    ignored, so clients need not repeat it)."""

    team: Team
    title: str = ""
