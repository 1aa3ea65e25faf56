"""The transcriber protocol and what it returns."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from pydantic import BaseModel, Field

# (seconds transcribed so far, seconds in the recording)
Progress = Callable[[float, float], None]


class Word(BaseModel):
    text: str
    start: float
    end: float


class Segment(BaseModel):
    """A stretch of speech (about a sentence), with its words when the transcriber gives them."""

    start: float
    end: float
    text: str
    words: list[Word] = Field(default_factory=list)


class Transcript(BaseModel):
    segments: list[Segment]
    duration_s: float = 0.0
    language: str | None = None
    model: str = ""


class Transcriber(Protocol):
    """Turns a recording's bytes into timed text. Raises TranscriptionFailed (naming the file)
    when the bytes cannot be decoded or the service cannot transcribe them."""

    name: str

    def transcribe(
        self, data: bytes, filename: str, progress: Progress | None = None
    ) -> Transcript: ...
