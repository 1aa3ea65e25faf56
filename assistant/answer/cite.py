"""Citations for offline answers: numbered sources, and the short phrases that name them.

Every sentence of an offline answer ends in the [n] of the words it rests on; `CitationBook`
numbers those words in the order they are first cited (the same words keep their number).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from assistant.answer.retrieve import Passage
from assistant.answer.types import Citation
from assistant.models import Evidence, Meeting

SENTENCE = re.compile(r"(?<=[.!?])\s+")  # where a turn's text splits into sentences


def where(meeting: Meeting) -> str:
    """ "Weekly sync, 2026-10-06", without repeating a date the title already has."""
    day = meeting.date.isoformat()
    return meeting.title if day in meeting.title else f"{meeting.title}, {day}"


def where_hit(p: Passage) -> str:
    day = p.hit.date.isoformat()
    return p.hit.title if day in p.hit.title else f"{p.hit.title}, {day}"


def day(value: date, today: date | None = None) -> str:
    """ "13 Nov", with the year when it is not the year of `today` ("13 Jan 2027")."""
    text = f"{value.day} {value.strftime('%b')}"
    return text if today is not None and value.year == today.year else f"{text} {value.year}"


def sentence(text: str) -> str:
    """`text` ending in exactly one full stop (item texts may or may not end in one)."""
    return text.strip().rstrip(".!?;:, ") + "."


def clause(text: str) -> str:
    """`text` without a final full stop, to be continued by more words."""
    return text.strip().rstrip(".!?;:, ")


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


class CitationBook:
    """Numbers sources in the order they are first cited; the same words get the same number."""

    def __init__(self, meeting: Callable[[int], Meeting]):
        self._meeting = meeting
        self.citations: list[Citation] = []
        self._seen: dict[tuple, int] = {}

    def cite(
        self,
        meeting_id: int,
        turn_start: int,
        turn_end: int,
        speaker: str | None,
        start_s: float | None,
        quote: str,
    ) -> int:
        key = (meeting_id, turn_start, turn_end, quote)
        if key in self._seen:
            return self._seen[key]
        meeting = self._meeting(meeting_id)
        n = len(self.citations) + 1
        self.citations.append(
            Citation(
                n=n,
                meeting_id=meeting_id,
                title=meeting.title,
                date=meeting.date,
                turn_start=turn_start,
                turn_end=turn_end,
                start_s=start_s,
                speaker=speaker,
                quote=quote,
            )
        )
        self._seen[key] = n
        return n

    def evidence(self, ev: Evidence, meeting_id: int) -> int:
        mid = ev.meeting_id or meeting_id
        return self.cite(mid, ev.turn_index, ev.turn_index, ev.speaker, ev.start_s, ev.quote)

    def passage(self, p: Passage) -> int:
        return self.cite(
            p.hit.meeting_id, p.turn.index, p.turn.index, p.turn.speaker, p.turn.start_s, p.quote
        )


def said(ev: Evidence, meeting: Meeting, n: int, text: str = "") -> str:
    """Who said it, where, and the words — unless the item's text already is those words (the
    offline extractor's texts are the cleaned sentence), which would read twice."""
    who = ev.speaker or "Someone"
    quote, told = words(ev.quote), words(text)
    if (
        told
        and set(told) >= set(quote) - {"um", "uh", "okay", "so"}
        and len(quote) <= 1.3 * len(told)
    ):
        return f"({who}, {where(meeting)}) [{n}]"
    return f'{who} in {where(meeting)}: "{ev.quote}" [{n}]'
