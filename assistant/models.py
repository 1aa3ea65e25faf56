"""Domain types shared by every layer. Pure data: no I/O here.

Meeting ─┬─ Turn (what was said, in order)
         ├─ Chunk (windows of turns, the unit of search)
         └─ Item (decision / action / parking) ── Evidence (verbatim turns) ── Goal
"""

from __future__ import annotations

import datetime as dt
import math
from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, Field, ValidationInfo, model_validator


class MeetingKind(StrEnum):
    weekly_sync = "weekly_sync"
    monthly_1on1 = "monthly_1on1"
    qbr = "qbr"
    other = "other"


class Turn(BaseModel):
    """One speaker turn. Times are seconds from the start of the recording, None when unknown."""

    index: int
    speaker: str | None = None
    text: str
    start_s: float | None = None
    end_s: float | None = None


class ParsedTranscript(BaseModel):
    """What a parser returns: the turns plus whatever metadata the file itself carries."""

    format: str
    turns: list[Turn]
    title: str | None = None
    date: dt.date | None = None  # `dt.`: the field name shadows the type in the class body
    # What was readable but not perfect ("1 cue skipped at line 6 (unreadable timing)").
    warnings: list[str] = Field(default_factory=list)


class Meeting(BaseModel):
    id: int
    title: str
    date: date
    kind: MeetingKind = MeetingKind.other
    source_name: str = ""
    format: str = ""
    content_hash: str = ""
    attendees: list[str] = Field(default_factory=list)
    turn_count: int = 0
    word_count: int = 0
    duration_s: float | None = None
    created_at: datetime | None = None
    extractor: str | None = None
    extraction_note: str | None = None
    warnings: list[str] = Field(default_factory=list)  # what the parser skipped or could not read


class Chunk(BaseModel):
    id: int | None = None
    meeting_id: int
    turn_start: int
    turn_end: int  # inclusive
    start_s: float | None = None
    end_s: float | None = None
    speakers: list[str] = Field(default_factory=list)
    text: str


class SearchFilters(BaseModel):
    meeting_id: int | None = None
    since: date | None = None
    until: date | None = None
    speaker: str | None = None
    kind: MeetingKind | None = None


class SearchHit(BaseModel):
    """A search result. Stable JSON schema (documented in README)."""

    meeting_id: int
    title: str
    date: date
    kind: MeetingKind
    chunk_id: int
    turn_start: int
    turn_end: int
    start_s: float | None
    end_s: float | None
    speakers: list[str]
    text: str
    score: float


class ItemKind(StrEnum):
    decision = "decision"
    action = "action"
    parking = "parking"


class Team(StrEnum):
    it = "IT"
    marketing = "Marketing"
    joint = "Joint"
    unknown = "unknown"


STATUSES: dict[ItemKind, tuple[str, ...]] = {
    ItemKind.action: ("open", "done", "dropped"),
    ItemKind.parking: ("parked", "revisited", "resolved"),
    ItemKind.decision: ("standing", "superseded"),
}
DEFAULT_STATUS: dict[ItemKind, str] = {k: v[0] for k, v in STATUSES.items()}


class Evidence(BaseModel):
    """One turn an item rests on, with the words said (verbatim, possibly a sub-span)."""

    meeting_id: int | None = None
    turn_index: int
    speaker: str | None = None
    start_s: float | None = None
    end_s: float | None = None
    quote: str


class DraftItem(BaseModel):
    """An item as an extractor proposes it, before it is stored."""

    kind: ItemKind
    text: str
    owner: str | None = None
    team: Team = Team.unknown
    due: date | None = None
    # The words the date was said in ("by November tenth", "before the QBR"): kept so a reader
    # sees why an item has the date it has, or why it has none yet.
    due_phrase: str | None = None
    goal_id: str | None = None
    confidence: float = Field(default=0.5, ge=0.0, le=1.0)
    evidence: list[Evidence] = Field(min_length=1, max_length=5)


class ExtractionResult(BaseModel):
    items: list[DraftItem]
    extractor: str  # e.g. "offline:v1" or "llm:gpt-4o-mini"
    dropped: int = 0  # items dropped because their evidence was not in the transcript
    note: str | None = None  # e.g. "LLM failed (timeout); extracted offline"


class Item(DraftItem):
    id: int
    meeting_id: int
    status: str
    extractor: str
    created_at: datetime | None = None
    updated_at: datetime | None = None
    edited_fields: list[str] = Field(
        default_factory=list
    )  # corrected by a person: kept on re-extract
    related_item_id: int | None = None  # resolved-by / superseded-by / done-by link
    status_evidence: list[Evidence] = Field(default_factory=list)


class ItemEvent(BaseModel):
    """One change in an item's history: a person's correction, or what a later meeting said
    (then `meeting_id` and `evidence` say where and in which words)."""

    field: str
    old_value: str | None = None
    new_value: str | None = None
    author: str | None = None
    source: str = "person"  # "person", "tracker", "proposal" (proposed) or "review" (decided)
    undone: bool = False
    meeting_id: int | None = None
    evidence: list[Evidence] = Field(default_factory=list)
    created_at: datetime | None = None
    proposal_id: int | None = None  # the proposal this event proposed, decided or applied


class Person(BaseModel):
    """Someone who speaks in the meetings, and the side they work on."""

    name: str = Field(min_length=1)
    team: Team
    title: str = ""


class KPI(BaseModel):
    """A goal's measure. Values must be finite and comparable (the ratio of current to target
    is what pages and digests show); goals stored before that rule read back with the
    offending values as unknown (validate with `context={"stored": True}`)."""

    name: str
    unit: str = ""
    target: float | None = None
    current: float | None = None

    @model_validator(mode="after")
    def _comparable(self, info: ValidationInfo) -> KPI:
        problem = kpi_problem(self.target, self.current)
        if problem is None:
            return self
        if not (info.context or {}).get("stored"):
            raise ValueError(f"KPI {self.name!r}: {problem}")
        for field in ("target", "current"):
            value = getattr(self, field)
            if value is not None and not math.isfinite(value):
                setattr(self, field, None)
        if kpi_problem(self.target, self.current):  # finite, but too far apart to compare
            self.current = None
        return self


def kpi_problem(target: float | None, current: float | None) -> str | None:
    """Why a KPI's values cannot be shown as progress (None when they can)."""
    for label, value in (("target", target), ("current value", current)):
        if value is not None and not math.isfinite(value):
            return f"the {label} must be a finite number, not {value}"
    if target and current:
        ratios = (current / target, target / current)
        if not all(math.isfinite(r) and r != 0 for r in ratios):
            return (
                f"target {target:g} and current value {current:g} are too far apart to"
                " compare (their ratio overflows)"
            )
    return None


class Milestone(BaseModel):
    title: str
    date: dt.date | None = None  # `dt.`: the field name shadows the type in the class body
    done: bool = False


class Goal(BaseModel):
    id: str
    title: str
    description: str = ""
    side: Team = Team.joint
    kpis: list[KPI] = Field(default_factory=list)
    milestones: list[Milestone] = Field(default_factory=list)


class KpiReading(BaseModel):
    """One value a goal's KPI took: set by a goal import or an edit (`author`: who), or said in
    a meeting (`meeting_id`, `turn_index`, `quote`: where and in what words). `at` is when the
    value held (a meeting's reading: the meeting's date)."""

    id: int
    goal_id: str
    kpi: str
    value: float | None = None
    unit: str = ""
    source: str  # "import", "edit" or "meeting"
    author: str | None = None
    meeting_id: int | None = None
    meeting_title: str | None = None
    turn_index: int | None = None
    quote: str | None = None
    speaker: str | None = None
    at: datetime
    created_at: datetime | None = None
