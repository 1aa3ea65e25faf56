"""LLM extraction: ask an OpenAI-compatible chat model for items, then trust nothing it says.

The transcript goes to the model as numbered lines inside a `<transcript>` fence and the
system prompt says that text in the fence is data, never instructions. What comes back is
validated field by field: quotes must be in the transcript (`verify.py`), goal ids must be
known, due dates must be ISO and rest on a date phrase that was actually said.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from assistant.chat import ChatModel, llm_unavailable
from assistant.extract.dates import find_due_phrase, resolve_due
from assistant.extract.split import estimate_tokens, merge_items, split_turns
from assistant.extract.verify import DraftEvidence, verify_evidence
from assistant.models import DraftItem, ExtractionResult, Goal, ItemKind, Meeting, Team, Turn
from assistant.prompts import PromptLibrary

log = logging.getLogger(__name__)

PROMPT = "extract_v1"
REPAIR_PROMPT = "repair_json_v1"
FENCE = "transcript"

# Words without which a due date cannot have been said. Loose on purpose ("may" the verb
# passes): the point is to catch dates a model made up for "I'll send it", not to parse.
_DATE_WORDS = re.compile(
    r"\b(mon(day)?|tues?(day)?|wed(nesday)?|thu(rs)?(day)?|fri(day)?|saturday|sunday"
    r"|jan(uary)?|feb(ruary)?|march|apr(il)?|may|june?|july?|aug(ust)?|sept?(ember)?"
    r"|oct(ober)?|nov(ember)?|dec(ember)?|today|tonight|tomorrow|weekend|weeks?|months?"
    r"|quarter|year|eod|eow|eom|eoq|eoy|q[1-4]|days?|fortnight|sprint|deadline|due"
    r"|\d{1,2}(st|nd|rd|th)|\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[/.]\d{1,2}([/.]\d{2,4})?)\b",
    re.IGNORECASE,
)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_FENCE_TAG = re.compile(rf"<\s*/?\s*{FENCE}\b[^>]*>", re.IGNORECASE)
_KINDS = {
    "decision": ItemKind.decision,
    "action": ItemKind.action,
    "action_item": ItemKind.action,
    "action item": ItemKind.action,
    "task": ItemKind.action,
    "parking": ItemKind.parking,
    "parking_lot": ItemKind.parking,
    "parking lot": ItemKind.parking,
    "snag": ItemKind.parking,
}
_TEAMS = {team.value.lower(): team for team in Team}
_NO_VALUE = {"", "null", "none", "n/a", "na", "unknown", "nobody", "tbd"}

_EVIDENCE_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["turn", "quote"],
    "properties": {"turn": {"type": "integer"}, "quote": {"type": "string"}},
}
_ITEM_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["kind", "text", "owner", "team", "due", "goal_id", "confidence", "evidence"],
    "properties": {
        "kind": {"type": "string", "enum": [k.value for k in ItemKind]},
        "text": {"type": "string"},
        "owner": {"type": ["string", "null"]},
        "team": {"type": "string", "enum": [t.value for t in Team]},
        "due": {"type": ["string", "null"], "description": "YYYY-MM-DD or null"},
        "goal_id": {"type": ["string", "null"]},
        "confidence": {"type": "number"},
        "evidence": {"type": "array", "items": _EVIDENCE_SCHEMA},
    },
}
EXTRACTION_SCHEMA: dict[str, Any] = {
    "title": "extraction",
    "type": "object",
    "additionalProperties": False,
    "required": ["items"],
    "properties": {"items": {"type": "array", "items": _ITEM_SCHEMA}},
}


class _RawItem(BaseModel):
    """An item as the model wrote it; lenient, normalised later."""

    model_config = ConfigDict(extra="ignore", coerce_numbers_to_str=True)

    kind: str
    text: str
    owner: str | None = None
    team: str | None = None
    due: str | None = None
    goal_id: str | None = None
    confidence: float | None = None
    evidence: list[DraftEvidence] = []


def fence_line(turn: Turn) -> str:
    """`[12] Priya Shah (00:03:10): text` on one line, with fence tags neutralised."""
    speaker = _one_line(turn.speaker or "Unknown speaker")
    when = f" ({_clock(turn.start_s)})" if turn.start_s is not None else ""
    return f"[{turn.index}] {speaker}{when}: {_one_line(turn.text)}"


def _one_line(text: str) -> str:
    # Newlines would let a speaker forge a line "[13] CEO: …"; tags would close the fence.
    flat = " ".join(text.split())
    return _FENCE_TAG.sub(lambda m: m.group(0).replace("<", "\u2039").replace(">", "\u203a"), flat)


def _clock(seconds: float) -> str:
    total = max(0, int(seconds))
    return f"{total // 3600:02d}:{total % 3600 // 60:02d}:{total % 60:02d}"


def parse_json_object(content: str) -> dict:
    """The JSON object in a model reply (code fences and stray prose tolerated)."""
    text = content.strip()
    fenced = re.search(r"```(?:json)?\s*(.*?)```", text, re.DOTALL)
    if fenced:
        text = fenced.group(1).strip()
    if not text.startswith(("{", "[")) and "{" in text:
        text = text[text.index("{") : text.rindex("}") + 1]
    data = json.loads(text)
    if isinstance(data, list):  # some models answer the bare list
        data = {"items": data}
    if not isinstance(data, dict):
        raise ValueError("the reply is JSON but not an object")
    return data


class LLMExtractor:
    """Extract items with a chat model; satisfies `assistant.extract.base.Extractor`."""

    def __init__(
        self,
        chat: ChatModel,
        context_tokens: int = 6000,
        *,
        overlap_turns: int = 2,
        prompts: PromptLibrary | None = None,
    ):
        self.chat = chat
        self.name = f"llm:{chat.name}"
        self.context_tokens = context_tokens
        self.overlap_turns = overlap_turns
        self.prompts = prompts or PromptLibrary()

    def extract(self, meeting: Meeting, turns: list[Turn], goals: list[Goal]) -> ExtractionResult:
        """Items of `meeting`, evidence verified against `turns`. Raises `LLMUnavailable`."""
        if not turns:
            return ExtractionResult(items=[], extractor=self.name)
        pieces = split_turns(
            turns,
            self._transcript_budget(meeting, goals),
            overlap_turns=self.overlap_turns,
            render=fence_line,
        )
        batches: list[list[DraftItem]] = []
        dropped: set[tuple[str, str]] = set()  # a set: overlapping pieces may drop one item twice
        for number, piece in enumerate(pieces, start=1):
            messages = self._messages(meeting, piece, goals, number, len(pieces))
            items, lost = self._validate(self._ask(messages), meeting, turns, goals)
            batches.append(items)
            dropped |= lost
        return ExtractionResult(
            items=merge_items(batches), extractor=self.name, dropped=len(dropped)
        )

    def _messages(
        self, meeting: Meeting, piece: Sequence[Turn], goals: Sequence[Goal], part: int, parts: int
    ) -> list[dict[str, str]]:
        return self.prompts.messages(
            PROMPT,
            meeting_title=_one_line(meeting.title),
            meeting_date=meeting.date.isoformat(),
            meeting_weekday=meeting.date.strftime("%A"),
            goals=[{"id": g.id, "title": _one_line(g.title)} for g in goals],
            transcript="\n".join(fence_line(turn) for turn in piece),
            part=part,
            parts=parts,
        )

    def _transcript_budget(self, meeting: Meeting, goals: Sequence[Goal]) -> int:
        """Tokens left for transcript lines once the instructions and the answer are paid for."""
        overhead = sum(
            estimate_tokens(m["content"]) for m in self._messages(meeting, [], goals, 2, 2)
        )
        reserve = min(2000, self.context_tokens // 4)  # room for the model's JSON answer
        return max(200, self.context_tokens - overhead - reserve)

    def _ask(self, messages: list[dict[str, str]]) -> list[Any]:
        """The raw item list, after at most one repair round for malformed JSON."""
        content = self.chat.complete(messages, schema=EXTRACTION_SCHEMA)
        try:
            return _items_of(content)
        except ValueError as err:
            error = " ".join(str(err).split())[:200]
            log.warning("%s answered malformed JSON (%s); asking once more", self.name, error)
        repair = messages + [
            {"role": "assistant", "content": content[:4000]},
            {"role": "user", "content": self.prompts.render(REPAIR_PROMPT, error=error).strip()},
        ]
        content = self.chat.complete(repair, schema=EXTRACTION_SCHEMA)
        try:
            return _items_of(content)
        except ValueError as err:
            log.warning("%s answered malformed JSON again (%s)", self.name, err)
            raise llm_unavailable(self.chat.name, "answered malformed JSON twice") from err

    def _validate(
        self, raw_items: list[Any], meeting: Meeting, turns: Sequence[Turn], goals: Sequence[Goal]
    ) -> tuple[list[DraftItem], set[tuple[str, str]]]:
        """Turn raw items into `DraftItem`s; returns them and (kind, text) of those dropped
        because no quote could be found in the transcript."""
        goal_ids = {g.id.lower(): g.id for g in goals}
        by_index = {t.index: t for t in turns}
        items: list[DraftItem] = []
        dropped: set[tuple[str, str]] = set()
        for raw in raw_items:
            try:
                item = _RawItem.model_validate(raw)
            except ValidationError as err:
                log.warning("%s: skipped an item that is not item-shaped: %s", self.name, err)
                continue
            kind = _KINDS.get(item.kind.strip().lower().replace("-", "_"))
            text = " ".join(item.text.split())
            if kind is None or not text:
                log.warning("%s: skipped an item of unknown kind %r", self.name, item.kind)
                continue
            evidence = verify_evidence(item.evidence, turns, meeting_id=meeting.id)
            if evidence is None:
                dropped.add((kind.value, text.lower()))
                continue
            said = " ".join(by_index[e.turn_index].text for e in evidence)
            due, due_phrase = _due(item.due, said, meeting.date)
            items.append(
                DraftItem(
                    kind=kind,
                    text=text,
                    owner=_clean(item.owner),
                    team=_TEAMS.get((item.team or "").strip().lower(), Team.unknown),
                    due=due,
                    due_phrase=due_phrase,
                    goal_id=goal_ids.get((_clean(item.goal_id) or "").lower()),
                    confidence=min(
                        1.0, max(0.0, item.confidence if item.confidence is not None else 0.5)
                    ),
                    evidence=evidence,
                )
            )
        return items, dropped


def _items_of(content: str) -> list[Any]:
    try:
        data = parse_json_object(content)
    except json.JSONDecodeError as err:
        raise ValueError(f"not valid JSON: {err}") from err
    items = data.get("items")
    if not isinstance(items, list):
        raise ValueError('the JSON object has no "items" list')
    return items


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = " ".join(value.split())
    return None if value.lower() in _NO_VALUE else value


def _due(value: str | None, said: str, meeting_date: dt.date) -> tuple[dt.date | None, str | None]:
    """The due date and the words it was said in, by the same rules as the offline extractor:
    a date phrase in the cited turns decides ("by Friday" is the Friday after the meeting,
    "before the QBR" waits for the QBR); without one, the model's ISO date only when the turns
    hold date words. Never a date the model made up."""
    phrase = find_due_phrase(said)
    if phrase:
        return resolve_due(phrase, meeting_date), phrase
    value = _clean(value)
    if value is None or not _ISO_DATE.match(value):
        return None, None
    try:
        due = dt.date.fromisoformat(value)
    except ValueError:
        return None, None
    if due < meeting_date or not _DATE_WORDS.search(said):
        return None, None
    return due, None
