"""Answer with an LLM from numbered passages, then check every [n] it cites.

The model sees only the passages (prompt `answer_v1`); a citation to a number that was not
given is removed from the text and the answer is flagged, so no invented source survives.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from assistant.answer.cite import where, where_hit
from assistant.answer.retrieve import Passage, ScoredItem
from assistant.answer.types import Citation
from assistant.prompts import PromptLibrary

_GROUP = re.compile(r"\s?\[(\d+(?:\s*[,;]\s*\d+)*)\]")


@dataclass
class Source:
    """A numbered passage shown to the model, with the citation it stands for."""

    n: int
    label: str
    text: str
    citation: Citation


def _clock(seconds: float | None) -> str:
    if seconds is None:
        return ""
    s = int(seconds)
    return f" {s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"


def build_sources(
    items: list[ScoredItem], passages: list[Passage], limit: int = 12
) -> list[Source]:
    """Items first (they carry status and links), then transcript passages, numbered from 1."""
    sources: list[Source] = []
    for s in items:
        if len(sources) >= limit:
            break
        item, ev = s.item, s.item.evidence[0]
        n = len(sources) + 1
        state = item.status
        if item.due:
            state += f", due {item.due}"
        if item.owner:
            state += f", owner {item.owner}"
        said = f"{ev.speaker or 'Someone'}: {ev.quote}"
        text = f"Recorded {item.kind.value} ({state}): {item.text}\n{said}"
        cite = Citation(
            n=n,
            meeting_id=item.meeting_id,
            title=s.meeting.title,
            date=s.meeting.date,
            turn_start=ev.turn_index,
            turn_end=ev.turn_index,
            start_s=ev.start_s,
            speaker=ev.speaker,
            quote=ev.quote,
        )
        label = f"{where(s.meeting)}, {ev.speaker or 'unknown speaker'}{_clock(ev.start_s)}"
        sources.append(Source(n, label, text, cite))
    for p in passages:
        if len(sources) >= limit:
            break
        n = len(sources) + 1
        cite = Citation(
            n=n,
            meeting_id=p.hit.meeting_id,
            title=p.hit.title,
            date=p.hit.date,
            turn_start=p.hit.turn_start,
            turn_end=p.hit.turn_end,
            start_s=p.turn.start_s,
            speaker=p.turn.speaker,
            quote=p.quote,
        )
        label = f"{where_hit(p)}, {', '.join(p.hit.speakers) or 'unknown speakers'}"
        sources.append(Source(n, label + _clock(p.hit.start_s), p.hit.text, cite))
    return sources


def check_citations(text: str, valid: set[int]) -> tuple[str, list[int], list[int]]:
    """Remove citations to unknown passages. Returns (text, cited numbers, removed numbers)."""
    cited: list[int] = []
    removed: list[int] = []

    def keep(m: re.Match) -> str:
        numbers = [int(x) for x in re.split(r"\s*[,;]\s*", m.group(1))]
        good = [n for n in numbers if n in valid]
        removed.extend(n for n in numbers if n not in valid)
        cited.extend(n for n in good if n not in cited)
        lead = m.group(0)[: len(m.group(0)) - len(m.group(0).lstrip())]
        return lead + "".join(f"[{n}]" for n in good) if good else ""

    cleaned = _GROUP.sub(keep, text)
    cleaned = re.sub(r"\]\s*\[", "][", cleaned)
    return cleaned.strip(), cited, removed


def ask_llm(chat, question: str, sources: list[Source], today: date, prompts: PromptLibrary):
    """The model's raw answer to `question` from `sources`. Raises `LLMUnavailable`."""
    messages = prompts.messages(
        "answer_v1",
        question=question,
        passages=[{"n": s.n, "label": s.label, "text": s.text} for s in sources],
        today=today.isoformat(),
    )
    return chat.complete(messages)
