"""Upload jobs over HTTP (one job per uploaded file, assistant/jobs/), and the word times of
transcribed recordings."""

from __future__ import annotations

from pydantic import BaseModel, Field

from assistant.jobs.types import Job
from assistant.transcribe.base import Word


class JobPage(BaseModel):
    total: int
    limit: int
    offset: int
    jobs: list[Job]


class TurnWords(BaseModel):
    turn_index: int
    words: list[Word]


class MeetingWords(BaseModel):
    meeting_id: int
    turns: list[TurnWords] = Field(
        description="Per turn, its words with start and end in seconds; empty unless the"
        " meeting was transcribed from a recording."
    )
