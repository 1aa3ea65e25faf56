"""What a job is: one uploaded file on its way to becoming a meeting."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import BaseModel, Field

from assistant.models import MeetingKind
from assistant.pipeline import IngestOutcome


class JobState(StrEnum):
    queued = "queued"
    running = "running"
    done = "done"
    failed = "failed"


class JobOptions(BaseModel):
    """What the uploader said about the file (the same as `liaison ingest`'s options)."""

    title: str | None = None
    day: date | None = None
    kind: MeetingKind | None = None
    recording: bool = Field(default=False, description="Audio or video, to be transcribed.")


# Share of the whole job each stage stands for, in order (a transcript skips "transcribe").
STAGES: dict[str, float] = {
    "transcribe": 0.6,
    "parse": 0.05,
    "embed": 0.25,
    "extract": 0.08,
    "store": 0.02,
}


def fraction(stage: str | None, done: int, total: int, *, recording: bool) -> float:
    """How far a job is, 0..1, from the stage it is in and how far that stage is."""
    if stage is None:
        return 0.0
    names = [s for s in STAGES if recording or s != "transcribe"]
    if stage not in names:
        return 0.0
    weights = [STAGES[s] for s in names]
    scale = sum(weights)
    before = sum(weights[: names.index(stage)])
    part = min(1.0, done / total) if total > 0 else 0.0
    return round((before + STAGES[stage] * part) / scale, 3)


class Job(BaseModel):
    id: int
    state: JobState
    filename: str
    size: int = Field(description="Bytes uploaded.")
    options: JobOptions = Field(default_factory=JobOptions)
    stage: str | None = Field(
        default=None, description="What the worker is doing: transcribe, parse, embed, extract…"
    )
    done: int = 0
    total: int = 0
    progress: float = Field(default=0.0, description="0 to 1, over all the stages of the job.")
    outcome: IngestOutcome | None = Field(
        default=None, description="When the job has ended: what happened to the file."
    )
    error: str | None = Field(default=None, description="Why the job failed, in one line.")
    attempts: int = 0
    created_by: str | None = None
    created_at: str
    started_at: str | None = None
    finished_at: str | None = None

    @property
    def ended(self) -> bool:
        return self.state in (JobState.done, JobState.failed)
