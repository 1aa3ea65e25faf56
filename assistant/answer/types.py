"""What a question becomes once understood, and what an answer looks like."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

from assistant.models import Item, Team

Intent = Literal["decisions", "actions", "parking", "goal", "general"]
# The form of answer wanted, which decides how the offline answer is written: the decision that
# stands ("what did we decide about X"), who and when ("who is doing X / when is it due"), a
# status ("is X done?", "what's overdue?"), a list (the open parking lot), the reasons ("why
# did we drop X?"), what changed in a time span, or a general answer from items and passages.
Asks = Literal["decision", "owner", "status", "list", "reason", "changes", "goal", "general"]


class TimeRange(BaseModel):
    """Meeting dates the question is about (inclusive); `phrase` is the words that said so."""

    since: date | None = None
    until: date | None = None
    phrase: str = ""


class Question(BaseModel):
    """A question, understood: what kind of answer, about what, when, whose."""

    text: str
    intent: Intent = "general"
    asks: Asks = "general"
    topic: str = ""  # the content words left once intent, time and people are taken out
    time_range: TimeRange | None = None
    speakers: list[str] = Field(default_factory=list)  # people whose words the question is about
    owner: str | None = None  # person who owes ("what does Sam owe …")
    team: Team | None = None  # team who owes / whose items ("what does IT owe …")
    for_team: Team | None = None  # team served ("… owe marketing")
    for_person: str | None = None
    goal_id: str | None = None
    status: str | None = None  # an item status the question restricts to ("open", "done" …)
    overdue: bool = False
    notes: list[str] = Field(default_factory=list)  # e.g. "no QBR found for 'since the QBR'"


class Citation(BaseModel):
    """One numbered source of an answer: a verbatim quote from a turn of a meeting."""

    n: int
    meeting_id: int
    title: str
    date: date
    turn_start: int
    turn_end: int
    start_s: float | None = None
    speaker: str | None = None
    quote: str


class Answer(BaseModel):
    answer: str
    citations: list[Citation] = Field(default_factory=list)
    items: list[Item] = Field(default_factory=list)
    intent: Intent = "general"
    asks: Asks = "general"
    time_range: TimeRange | None = None
    flagged: bool = False  # citations were removed because they pointed at no passage
    found: bool = True
    mode: Literal["offline", "llm"] = "offline"
    note: str | None = None  # e.g. "the LLM was unavailable (…); answered offline"
