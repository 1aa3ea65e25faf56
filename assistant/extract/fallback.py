"""Fallback extraction: when the LLM cannot be used, extract offline and say so."""

from __future__ import annotations

import logging

from assistant.chat import unavailable_reason
from assistant.errors import LLMUnavailable
from assistant.extract.base import Extractor
from assistant.models import ExtractionResult, Goal, Meeting, Turn

log = logging.getLogger(__name__)


class FallbackExtractor:
    """Use `primary`; on `LLMUnavailable` use `fallback` and note why on the result.

    The result's `extractor` is the one that actually produced the items, so a meeting
    extracted offline is recorded as such (and can be re-extracted when the LLM is back).
    """

    def __init__(self, primary: Extractor, fallback: Extractor):
        self.primary = primary
        self.fallback = fallback
        self.name = primary.name

    def extract(self, meeting: Meeting, turns: list[Turn], goals: list[Goal]) -> ExtractionResult:
        """Items from `primary`, or from `fallback` when the LLM is unavailable."""
        try:
            return self.primary.extract(meeting, turns, goals)
        except LLMUnavailable as err:
            reason = unavailable_reason(err)
            log.warning("%s; extracting meeting %s with %s", err, meeting.id, self.fallback.name)
        result = self.fallback.extract(meeting, turns, goals)
        note = f"LLM unavailable ({reason}); extracted offline instead"
        if result.note:
            note = f"{note}; {result.note}"
        return result.model_copy(update={"note": note})
