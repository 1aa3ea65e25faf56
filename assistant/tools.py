"""Shadow IT: tools mentioned in meetings that are not on the approved list.

Known SaaS tools (`assistant/data/known_tools.yaml`) are recognised by name on word
boundaries; a sentence that also says "started using", "signed up for", "we've been trying" …
is an adoption signal, stronger than a mere mention. A tool nobody named ("someone signed up
for an AI writing assistant") is flagged too when an adoption verb introduces it. The approved
list starts from `assistant/data/approved_tools.yaml` and is kept, editable, in the database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, Field

from assistant.errors import InvalidInput, NotFound
from assistant.glossary import surface_pattern
from assistant.models import Meeting, SearchFilters, Team
from assistant.people import team_of
from assistant.store import glossary as store
from assistant.store import meetings as meeting_store

DATA = Path(__file__).parent / "data"
_SEEDED = "approved_tools_seeded"
_SENTENCE = re.compile(r"(?<=[.!?])\s+")

ADOPTION = re.compile(
    r"\b(?:start(?:ed|ing)? (?:using|to use|with)|began using|signed up (?:for|to|with)|"
    r"(?:been|are|were|is|was) (?:using|trying|testing|trialing|trialling|piloting)|"
    r"trying out|tried out|free trial|(?:on|got) a trial|subscribed to|bought|purchased|"
    r"paid for|(?:put|installed|added) (?:the |a |their )?(?:script|tag|plugin|extension)|"
    r"installed|rolled out|adopted|switched to|moved (?:over )?to|set up (?:an |a )?account|"
    r"created (?:an |a )?account|uses|with a company card|on (?:a|the) company card|"
    r"already using|(?:web|content|events|design|sales|marketing|our|my|the|his|her) team "
    r"(?:added|installed|set up|bought|uses|is using|has been using)|added it|set it up|"
    r"free (?:version|tier|plan)|forgot to cancel)\b",
    re.I,
)
# "something called Leadpulse": a tool named that the catalogue does not know.
CALLED = re.compile(
    r"\b(?i:something|a tool|an app|a service|a thing|a product|a platform|a plugin) called "
    r"(?P<name>[A-Z][\w-]*(?:\.[a-z]{2,4}\b)?(?: [A-Z][\w-]+)?)"
)
# "That's on us. The web team added it.": the tool is the one just named.
_REFERS = re.compile(r"\b(it|that|them|this one|the free version|the free tier)\b", re.I)
# "… signed up for an AI writing assistant": a tool described, not named.
UNNAMED = re.compile(
    r"\b(?:start(?:ed)? using|signed up (?:for|to|with)|(?:is|are|been) using|uses|bought|"
    r"subscribed to|trying out|installed)\s+(?P<what>(?:an?|some|the|this|that)\s+"
    r"(?:[\w-]+\s+){0,4}?(?:tool|app|assistant|platform|plugin|extension|software|service|"
    r"chatbot|bot|website builder|survey tool))\b",
    re.I,
)


class KnownTool(BaseModel):
    name: str
    category: str = ""
    aliases: list[str] = Field(default_factory=list)
    case_sensitive: bool | None = None


class ApprovedTool(BaseModel):
    name: str
    note: str = ""
    author: str | None = None
    added_at: datetime | None = None


class ToolMention(BaseModel):
    """Where a tool was mentioned: the meeting, the turn and the words."""

    meeting_id: int
    title: str
    date: date
    turn_index: int
    speaker: str | None = None
    start_s: float | None = None
    quote: str  # the sentence that mentions the tool, verbatim
    adoption: bool  # the sentence says the tool was taken up ("started using" …)


class ToolFlag(BaseModel):
    """A tool mentioned in meetings that is not approved, with the evidence."""

    tool: str
    category: str = ""
    known: bool = True  # False: described but not named ("an AI writing assistant")
    signal: Literal["adoption", "mention"]
    first_seen: date
    last_seen: date
    mentions: int
    meetings: list[int]
    evidence: list[ToolMention]


@dataclass
class _Matcher:
    tool: KnownTool
    pattern: re.Pattern


class ToolWatch:
    """The approved-tools list and the shadow-IT flags of one `Liaison`."""

    def __init__(
        self,
        liaison,
        known_path: Path | None = None,
        approved_path: Path | None = None,
        max_evidence: int = 5,
    ):
        self.liaison = liaison
        self.known_path = known_path or DATA / "known_tools.yaml"
        self.approved_path = approved_path or DATA / "approved_tools.yaml"
        self.max_evidence = max_evidence

    # ----------------------------------------------------------------- catalogues

    @cached_property
    def known(self) -> list[KnownTool]:
        data = yaml.safe_load(self.known_path.read_text(encoding="utf-8")) or {}
        return [KnownTool.model_validate(t) for t in data.get("tools", [])]

    @cached_property
    def _matchers(self) -> list[_Matcher]:
        out = []
        for tool in self.known:
            alts = [surface_pattern(s, tool.case_sensitive) for s in [tool.name, *tool.aliases]]
            out.append(_Matcher(tool, re.compile("|".join(sorted(alts, key=len, reverse=True)))))
        return out

    def canonical(self, name: str) -> str:
        """The known tool's own spelling for a name or alias ("hubspot" -> "HubSpot")."""
        low = name.strip().casefold()
        for tool in self.known:
            if low in {tool.name.casefold(), *(a.casefold() for a in tool.aliases)}:
                return tool.name
        return name.strip()

    # ----------------------------------------------------------------- approved list

    def _seed(self) -> None:
        """Copy the default approved list into the database once (later edits are kept)."""
        if self.liaison.db.get_meta(_SEEDED):
            return
        data = yaml.safe_load(self.approved_path.read_text(encoding="utf-8")) or {}
        with self.liaison.db.transaction() as tx:
            if tx.execute("SELECT value FROM meta WHERE key = ?", (_SEEDED,)).fetchone():
                return  # another process seeded it meanwhile
            for entry in data.get("approved", []):
                store.approve_tool(tx, entry["name"], entry.get("note", ""), "default")
            self.liaison.db.set_meta(tx, _SEEDED, "1")

    def approved(self) -> list[ApprovedTool]:
        self._seed()
        rows = store.approved_tools(self.liaison.db.connect())
        return [ApprovedTool.model_validate(dict(r)) for r in rows]

    def approve(self, name: str, note: str = "", author: str | None = None) -> ApprovedTool:
        """Put a tool on the approved list (its known spelling is used)."""
        name = self.canonical(name)
        if not name or len(name) > 80:
            raise InvalidInput("a tool name must be 1 to 80 characters")
        self._seed()
        with self.liaison.db.transaction() as tx:
            store.approve_tool(tx, name, note.strip(), author)
        return next(t for t in self.approved() if t.name.casefold() == name.casefold())

    def unapprove(self, name: str) -> None:
        self._seed()
        with self.liaison.db.transaction() as tx:
            if not store.unapprove_tool(tx, self.canonical(name)):
                raise NotFound(f"tool {name!r} is not on the approved list")

    def is_approved(self, tool: str, approved: set[str] | None = None) -> bool:
        approved = approved if approved is not None else self._approved_names()
        known = next((t for t in self.known if t.name == tool), None)
        names = {tool, *(known.aliases if known else [])}
        return any(n.casefold() in approved for n in names)

    def _approved_names(self) -> set[str]:
        return {t.name.casefold() for t in self.approved()}

    # ----------------------------------------------------------------- detection

    def mentions_in(self, meeting: Meeting) -> list[tuple[str, str, bool, ToolMention]]:
        """(tool, category, known, mention) for every tool mentioned in a meeting's turns.

        A sentence that says a tool was taken up without naming it ("A few of them are already
        using the free version", "The web team added it") is about the tool named just before,
        in the same turn or the turn before."""
        conn = self.liaison.db.connect()
        out = []
        before: list[tuple[str, str, bool]] = []  # tools named in the previous turn
        for turn in meeting_store.get_turns(conn, meeting.id):
            sentences = [x for x in _SENTENCE.split(turn.text) if x.strip()]
            here: list[tuple[str, str, bool]] = []
            previous = ""

            def mention(adopted: bool, quote: str, turn=turn) -> ToolMention:
                return ToolMention(
                    meeting_id=meeting.id,
                    title=meeting.title,
                    date=meeting.date,
                    turn_index=turn.index,
                    speaker=turn.speaker,
                    start_s=turn.start_s,
                    quote=quote.strip(),
                    adoption=adopted,
                )

            for sentence in sentences:
                adoption = bool(ADOPTION.search(sentence))
                named: list[tuple[str, str, bool, re.Pattern | None]] = [
                    (m.tool.name, m.tool.category, True, m.pattern)
                    for m in self._matchers
                    if m.pattern.search(sentence)
                ]
                for m in CALLED.finditer(sentence):
                    if not any(n[0].casefold() == m.group("name").casefold() for n in named):
                        named.append((m.group("name"), "", False, None))
                for name, category, known, pattern in named:
                    # "Tomás set up Zapier": set up names what was taken up, not what it feeds.
                    set_up = pattern is not None and re.search(
                        rf"\bset up\s+(?:an? )?(?:{pattern.pattern})", sentence, re.I
                    )
                    out.append((name, category, known, mention(adoption or bool(set_up), sentence)))
                if named:
                    here = [(n, c, k) for n, c, k, _ in named]
                elif adoption and _REFERS.search(sentence) and (here or before):
                    if here:  # same turn: quote from the naming sentence on, verbatim
                        start = turn.text.find(previous)
                        end = turn.text.find(sentence, start) + len(sentence)
                        quote = turn.text[start:end] if start >= 0 else sentence
                    else:
                        quote = sentence
                    for name, category, known in here or before:
                        out.append((name, category, known, mention(True, quote)))
                else:
                    for m in UNNAMED.finditer(sentence):
                        what = re.sub(
                            r"^(an?|some|the|this|that)\s+", "", m.group("what"), flags=re.I
                        )
                        out.append((f"{what} (unnamed)", "", False, mention(True, sentence)))
                previous = sentence if named else previous
            before = here
        return out

    def flags(self, since: date | None = None, until: date | None = None) -> list[ToolFlag]:
        """Tools mentioned in meetings between `since` and `until` that are not approved.

        Adoption signals first, then the most recently seen.
        """
        approved = self._approved_names()
        people = self.liaison.people()
        meetings, total = self.liaison.meetings(SearchFilters(since=since, until=until), 10_000)
        grouped: dict[str, dict] = {}
        for meeting in sorted(meetings, key=lambda m: (m.date, m.id)):
            for tool, category, known, mention in self.mentions_in(meeting):
                if known and self.is_approved(tool, approved):
                    continue
                entry = grouped.setdefault(
                    tool, {"category": category, "known": known, "evidence": []}
                )
                entry["evidence"].append(mention)
        flags = []
        for tool, entry in grouped.items():
            evidence: list[ToolMention] = entry["evidence"]
            # Taken up by IT itself (the CIO choosing a vendor) is not shadow IT.
            adopted = [e for e in evidence if e.adoption and team_of(e.speaker, people) != Team.it]
            shown = (adopted + [e for e in evidence if not e.adoption])[: self.max_evidence]
            flags.append(
                ToolFlag(
                    tool=tool,
                    category=entry["category"],
                    known=entry["known"],
                    signal="adoption" if adopted else "mention",
                    first_seen=min(e.date for e in evidence),
                    last_seen=max(e.date for e in evidence),
                    mentions=len(evidence),
                    meetings=sorted({e.meeting_id for e in evidence}),
                    evidence=shown,
                )
            )
        flags.sort(
            key=lambda f: (f.signal != "adoption", -f.last_seen.toordinal(), -f.mentions, f.tool)
        )
        return flags
