"""The extractor protocol: one required method, `extract`."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from assistant.models import ExtractionResult, Goal, Meeting, Turn


@runtime_checkable
class Extractor(Protocol):
    name: str  # e.g. "offline:v1", "llm:gpt-4o-mini"

    def extract(self, meeting: Meeting, turns: list[Turn], goals: list[Goal]) -> ExtractionResult:
        """Return the items found in `turns`. Evidence must cite turns of this meeting verbatim.

        `goals` are the shared goals; an extractor may set `goal_id` (the service links the rest
        by embedding similarity). Due dates are resolved against `meeting.date`.
        """
        ...
