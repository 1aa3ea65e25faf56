"""Request and response schemas of the HTTP API (separate from the stored records)."""

from __future__ import annotations

from pydantic import BaseModel, Field, StrictFloat
from pydantic.json_schema import SkipJsonSchema

from assistant.api.contract import Flag, IsoDate, StrictBody
from assistant.api.errors import ErrorBody
from assistant.models import (
    KPI,
    Goal,
    Item,
    ItemEvent,
    KpiReading,
    Meeting,
    Milestone,
    Person,
    SearchHit,
    Team,
    Turn,
)


class FileResult(BaseModel):
    source: str
    meeting_id: int | None = None
    duplicate_of: int | None = None
    items: int = 0
    error: str | None = None
    error_type: str | None = Field(
        default=None, description="The error's name, e.g. UnsupportedFormat, MalformedTranscript."
    )
    line: int | None = None
    warnings: list[str] = Field(
        default_factory=list,
        description="What was read but not perfect, e.g. '1 cue skipped at line 6 (…)'.",
    )
    job_id: int | None = Field(
        default=None, description="The file's upload job (GET /jobs/{id}); none if refused."
    )
    state: str | None = Field(
        default=None, description="The job's state: queued, running, done or failed."
    )


class UploadResult(BaseModel):
    meeting_ids: list[int] = Field(description="Meetings newly stored by this upload.")
    files: list[FileResult]
    job_ids: list[int] = Field(
        default_factory=list, description="One upload job per accepted file (GET /jobs/{id})."
    )


class UploadError(ErrorBody):
    """No file of the upload went in: the first file's error, and what happened to each file
    (absent when the request itself was refused, e.g. over the size limit)."""

    meeting_ids: list[int] | None = None
    files: list[FileResult] | None = None
    job_ids: list[int] | None = None


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


# A field a patch may leave out but not set to null: the document says so (no null in its
# type); a null sent anyway is refused with the reason by the core.
Unset = SkipJsonSchema[None]


class ItemPatch(StrictBody):
    """Fields a person may correct; omitted fields stay as they are, null clears (the owner,
    the due date, the goal: text, team and status cannot be cleared)."""

    text: str | Unset = None
    owner: str | None = None
    team: Team | Unset = None
    due: IsoDate | None = None
    goal_id: str | None = None
    status: str | Unset = None


class ParkedItem(Item):
    age_days: int


class ParkingPage(BaseModel):
    """Open parking-lot items, oldest first (ties by id)."""

    total: int
    limit: int
    offset: int
    items: list[ParkedItem]


class ItemHistoryPage(BaseModel):
    """An item's history, oldest first."""

    total: int
    limit: int
    offset: int
    events: list[ItemEvent]


class GoalPage(BaseModel):
    total: int
    limit: int
    offset: int
    goals: list[Goal]


class KpiReadingPage(BaseModel):
    """A goal's KPI readings, oldest first: imports, edits (with who) and meetings' words."""

    total: int
    limit: int
    offset: int
    readings: list[KpiReading]


class PersonPage(BaseModel):
    total: int
    limit: int
    offset: int
    people: list[Person]


class KPIIn(KPI, StrictBody):
    target: StrictFloat | None = None  # a number: not true, nor "90"
    current: StrictFloat | None = None


class MilestoneIn(Milestone, StrictBody):
    date: IsoDate | None = None  # type: ignore[assignment]
    done: Flag = False


class GoalIn(Goal, StrictBody):
    """A new goal, as `POST /goals` takes it: its id is a short name that can stand in a URL."""

    id: str = Field(
        min_length=1, max_length=80, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$", examples=["cdp-live"]
    )

    kpis: list[KPIIn] = Field(default_factory=list)  # type: ignore[assignment]
    milestones: list[MilestoneIn] = Field(default_factory=list)  # type: ignore[assignment]


class GoalPatch(StrictBody):
    """Fields to change; omitted fields stay as they are (none can be cleared with null)."""

    title: str | Unset = None
    description: str | Unset = None
    side: Team | Unset = None
    kpis: list[KPIIn] | Unset = None
    milestones: list[MilestoneIn] | Unset = None


class PersonIn(StrictBody):
    """Someone's side, for `PUT /people/{name}`: the name is the path's (one in the body is
    ignored, so clients need not repeat it)."""

    team: Team
    title: str = ""
    name: str | None = Field(default=None, description="Ignored: the path names the person.")
