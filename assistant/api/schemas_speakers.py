"""Request and response schemas for speaker names (renames and aliases)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from assistant.api.contract import Flag, StrictBody
from assistant.store.db import MAX_ID
from assistant.store.speakers import SpeakerAlias


class RenameIn(StrictBody):
    """Rename `speaker` to `name` in the meeting: all their turns, or only `turns`."""

    speaker: str | None = Field(
        max_length=200,
        description="The speaker as the meeting shows it; null (or '' or '-'): the turns with "
        "no speaker name.",
        examples=["Speaker 2"],
    )
    name: str = Field(max_length=200, description="Their name.", examples=["Raj Mehta"])
    turns: list[int] | None = Field(
        default=None,
        max_length=100_000,
        description="Only these turns (0-based, as the meeting's turns list them).",
    )
    alias: Flag | None = Field(
        default=None,
        description="Keep `speaker` as another spelling of `name` for later transcripts. "
        "Default: yes for a real name renamed in all its turns, no for 'Speaker 2' and the like.",
    )

    def turn_list(self) -> list[int] | None:
        if self.turns is None:
            return None
        # Out of range is no turn of the meeting: the core says so like any other stray turn.
        return [min(max(t, -1), MAX_ID) for t in self.turns]


class AliasIn(StrictBody):
    alias: str = Field(
        max_length=200, description="Another spelling of the name.", examples=["Dana C."]
    )
    name: str = Field(max_length=200, description="The person's name.", examples=["Dana Cole"])
    apply: Flag = Field(
        default=True, description="Also rename this spelling in the meetings stored so far."
    )


class AliasPage(BaseModel):
    total: int
    limit: int
    offset: int
    aliases: list[SpeakerAlias]
