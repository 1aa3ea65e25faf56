"""The MCP tools: each checks the caller's role, calls one `Liaison` method, returns a model.

Reading needs `viewer` (as the API's GET routes do); a proposal needs `member` (who may correct
items): proposals change nothing until a member approves them (assistant/proposals.py).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp_types import ToolAnnotations
from pydantic import BaseModel, Field

from assistant.answer import Answer
from assistant.auth import Role, User
from assistant.errors import AuthError, InvalidInput, LiaisonError
from assistant.glossary import GlossaryTerm, TermUse
from assistant.models import (
    Goal,
    Item,
    ItemEvent,
    ItemKind,
    Meeting,
    MeetingKind,
    SearchFilters,
    SearchHit,
    Team,
    Turn,
)
from assistant.proposals import Proposal
from assistant.service import Liaison
from assistant.store.items import ItemFilters

Identify = Callable[[Context], User]  # who is calling (raises AuthError when no one valid)
READ = ToolAnnotations(read_only_hint=True, open_world_hint=False)
PROPOSE = ToolAnnotations(read_only_hint=False, destructive_hint=False, open_world_hint=False)
MAX_PAGE = 200
MAX_WINDOW = 100

Limit = Annotated[int, Field(ge=1, le=MAX_PAGE, description="Page size.")]
Offset = Annotated[int, Field(ge=0, description="How many to skip.")]
Day = Annotated[date | None, Field(description="YYYY-MM-DD")]
Note = Annotated[str, Field(max_length=2000, description="Why: shown to the member who decides.")]


class SearchResult(BaseModel):
    query: str
    hits: list[SearchHit]


class MeetingList(BaseModel):
    total: int
    limit: int
    offset: int
    meetings: list[Meeting]


class MeetingView(BaseModel):
    meeting: Meeting
    items: list[Item] = Field(description="Decisions, actions and snags of this meeting.")
    turns: list[Turn] = Field(description="The transcript window asked for.")
    first_turn: int
    last_turn: int


class ItemList(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[Item]


class ItemView(BaseModel):
    item: Item
    history: list[ItemEvent]
    pending_proposals: list[Proposal]


class GoalList(BaseModel):
    goals: list[Goal] = Field(description="Shared goals with their KPIs and milestones.")


class GlossaryView(BaseModel):
    meeting_id: int | None = None
    terms: list[GlossaryTerm] = Field(default_factory=list)
    uses: list[TermUse] = Field(default_factory=list)


class ProposalList(BaseModel):
    total: int
    limit: int
    offset: int
    proposals: list[Proposal]


def register(server: MCPServer, liaison: Liaison, identify: Identify) -> None:
    """Add every tool to `server`; `identify(ctx)` names the caller of each call."""

    def caller(ctx: Context, needed: Role) -> User:
        try:
            user = identify(ctx)
        except AuthError as exc:
            raise ToolError(str(exc)) from None
        if not user.role.allows(needed):
            raise ToolError(
                f"your role ({user.role.value}) may not do this; it needs {needed.value}"
            )
        return user

    def run(call: Callable[[], Any]) -> Any:
        """Liaison's errors are the tool's error, in the same words as the API's."""
        try:
            return call()
        except LiaisonError as exc:
            raise ToolError(str(exc)) from None

    # ------------------------------------------------------------------ reading

    @server.tool(annotations=READ)
    def search_passages(
        ctx: Context,
        query: Annotated[str, Field(min_length=1, max_length=2000)],
        meeting_id: int | None = None,
        since: Day = None,
        until: Day = None,
        speaker: str | None = None,
        kind: MeetingKind | None = None,
        k: Annotated[int, Field(ge=1, le=200)] = 10,
    ) -> SearchResult:
        """Search the transcripts by meaning and by words; each hit is a passage with its
        meeting, turns and speakers."""
        caller(ctx, Role.viewer)
        filters = SearchFilters(
            meeting_id=meeting_id, since=since, until=until, speaker=speaker, kind=kind
        )
        return SearchResult(query=query, hits=run(lambda: liaison.search(query, filters, k)))

    @server.tool(annotations=READ)
    def ask(
        ctx: Context,
        question: Annotated[str, Field(min_length=1, max_length=2000)],
        today: Day = None,
    ) -> Answer:
        """Answer a question across all meetings. Every line cites a numbered source (meeting,
        turn, speaker, words); citations to passages that do not exist are removed and
        `flagged`; `found` is false when the meetings hold nothing relevant."""
        caller(ctx, Role.viewer)
        return run(lambda: liaison.asker.ask(question, today))

    @server.tool(annotations=READ)
    def list_meetings(
        ctx: Context,
        since: Day = None,
        until: Day = None,
        kind: MeetingKind | None = None,
        speaker: str | None = None,
        limit: Limit = 20,
        offset: Offset = 0,
    ) -> MeetingList:
        """Stored meetings, newest first."""
        caller(ctx, Role.viewer)
        filters = SearchFilters(since=since, until=until, kind=kind, speaker=speaker)
        found, total = run(lambda: liaison.meetings(filters, limit, offset))
        return MeetingList(total=total, limit=limit, offset=offset, meetings=found)

    @server.tool(annotations=READ)
    def get_meeting(
        ctx: Context,
        meeting_id: int,
        around_turn: Annotated[
            int | None, Field(ge=0, description="Centre of the transcript window (0-based).")
        ] = None,
        window: Annotated[int, Field(ge=0, le=MAX_WINDOW, description="Turns each side.")] = 8,
    ) -> MeetingView:
        """One meeting: its metadata, its items, and the transcript around a turn (from the
        start when no turn is given)."""
        caller(ctx, Role.viewer)
        detail = run(lambda: liaison.meeting(meeting_id))
        items, _ = liaison.items(ItemFilters(meeting_id=meeting_id), 10_000)
        count = len(detail.turns)
        if around_turn is not None and count and around_turn >= count:
            raise ToolError(f"meeting {meeting_id} has turns 0 to {count - 1}")
        centre = around_turn if around_turn is not None else window
        first = max(0, centre - window)
        last = min(count - 1, centre + window) if count else -1
        turns = detail.turns[first : last + 1]
        return MeetingView(
            meeting=detail.meeting, items=items, turns=turns, first_turn=first, last_turn=last
        )

    def item_filters(kind: ItemKind, **given: Any) -> ItemFilters:
        overdue = given.pop("overdue", False)
        return ItemFilters(kind=kind, overdue_on=date.today() if overdue else None, **given)

    def listing(kind: ItemKind, limit: int, offset: int, **given: Any) -> ItemList:
        filters = item_filters(kind, **given)
        found, total = run(lambda: liaison.items(filters, limit, offset))
        return ItemList(total=total, limit=limit, offset=offset, items=found)

    @server.tool(annotations=READ)
    def list_decisions(
        ctx: Context,
        meeting_id: int | None = None,
        status: Annotated[str | None, Field(description="standing or superseded")] = None,
        owner: str | None = None,
        team: Team | None = None,
        goal_id: str | None = None,
        since: Day = None,
        until: Day = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> ItemList:
        """Decisions, newest meeting first, with the words they rest on (filters as
        GET /items)."""
        caller(ctx, Role.viewer)
        return listing(
            ItemKind.decision, limit, offset, meeting_id=meeting_id, status=status,
            owner=owner, team=team, goal_id=goal_id, since=since, until=until,
        )  # fmt: skip

    @server.tool(annotations=READ)
    def list_actions(
        ctx: Context,
        meeting_id: int | None = None,
        status: Annotated[str | None, Field(description="open, done or dropped")] = None,
        owner: Annotated[str | None, Field(description="Full or first name.")] = None,
        team: Team | None = None,
        goal_id: str | None = None,
        overdue: Annotated[bool, Field(description="Open actions past their due date.")] = False,
        since: Day = None,
        until: Day = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> ItemList:
        """Action items (owner, team, due date, status), newest meeting first (filters as
        GET /items)."""
        caller(ctx, Role.viewer)
        return listing(
            ItemKind.action, limit, offset, meeting_id=meeting_id, status=status, owner=owner,
            team=team, goal_id=goal_id, overdue=overdue, since=since, until=until,
        )  # fmt: skip

    @server.tool(annotations=READ)
    def list_parking_lot(
        ctx: Context,
        meeting_id: int | None = None,
        status: Annotated[str | None, Field(description="parked, revisited or resolved")] = None,
        owner: str | None = None,
        team: Team | None = None,
        goal_id: str | None = None,
        since: Day = None,
        until: Day = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> ItemList:
        """Parking-lot snags, newest meeting first (filters as GET /items)."""
        caller(ctx, Role.viewer)
        return listing(
            ItemKind.parking, limit, offset, meeting_id=meeting_id, status=status, owner=owner,
            team=team, goal_id=goal_id, since=since, until=until,
        )  # fmt: skip

    @server.tool(annotations=READ)
    def get_item(ctx: Context, item_id: int) -> ItemView:
        """One item with its history (corrections, what later meetings said, proposals and
        their decisions) and the proposals still waiting."""
        caller(ctx, Role.viewer)
        item = run(lambda: liaison.item(item_id))
        pending, _ = liaison.proposals.page("pending", item_id, MAX_PAGE)
        return ItemView(item=item, history=liaison.item_history(item_id), pending_proposals=pending)

    @server.tool(annotations=READ)
    def list_goals(ctx: Context) -> GoalList:
        """The shared goals of IT and marketing, with KPIs (target, current) and milestones."""
        caller(ctx, Role.viewer)
        return GoalList(goals=liaison.goals())

    @server.tool(annotations=READ)
    def glossary(ctx: Context, meeting_id: int | None = None) -> GlossaryView:
        """IT and marketing terms explained for the other side; with `meeting_id`, the terms
        that meeting used, with counts and the sense meant."""
        caller(ctx, Role.viewer)
        if meeting_id is not None:
            uses = run(lambda: liaison.glossary.detect(meeting_id))
            return GlossaryView(meeting_id=meeting_id, uses=uses)
        return GlossaryView(terms=liaison.glossary.terms())

    @server.tool(annotations=READ)
    def list_proposals(
        ctx: Context,
        status: Annotated[str | None, Field(description="pending, approved or rejected")] = None,
        item_id: int | None = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> ProposalList:
        """Proposed changes to items, newest first, with who decided them."""
        caller(ctx, Role.viewer)
        found, total = run(lambda: liaison.proposals.page(status, item_id, limit, offset))
        return ProposalList(total=total, limit=limit, offset=offset, proposals=found)

    # ------------------------------------------------------------------ proposing

    def propose(ctx: Context, item_id: int, changes: dict, note: str) -> Proposal:
        user = caller(ctx, Role.member)
        return run(lambda: liaison.proposals.propose(item_id, changes, author=user.name, note=note))

    def check_kind(item_id: int, kind: ItemKind, what: str) -> None:
        item = run(lambda: liaison.item(item_id))
        if item.kind != kind:
            raise ToolError(f"item {item_id} is a {item.kind.value}: only {what}")

    @server.tool(annotations=PROPOSE)
    def propose_action_done(ctx: Context, item_id: int, note: Note = "") -> Proposal:
        """Propose marking an action item done. Nothing changes until a member approves it
        (web app: Proposals; API: POST /proposals/{id}/approve)."""
        caller(ctx, Role.member)
        check_kind(item_id, ItemKind.action, "an action can be marked done")
        return propose(ctx, item_id, {"status": "done"}, note)

    @server.tool(annotations=PROPOSE)
    def propose_correction(
        ctx: Context,
        item_id: int,
        owner: Annotated[
            str | None, Field(description="New owner (full name); '' to clear; omit to keep.")
        ] = None,
        due: Annotated[
            str | None, Field(description="New due date YYYY-MM-DD; '' to clear; omit to keep.")
        ] = None,
        note: Note = "",
    ) -> Proposal:
        """Propose correcting an item's owner and/or due date. Nothing changes until a member
        approves it."""
        caller(ctx, Role.member)
        changes: dict[str, str | None] = {}
        if owner is not None:
            changes["owner"] = owner.strip() or None
        if due is not None:
            changes["due"] = due.strip() or None
        if not changes:
            raise ToolError(str(InvalidInput("give an owner, a due date, or both")))
        return propose(ctx, item_id, changes, note)

    @server.tool(annotations=PROPOSE)
    def propose_park(ctx: Context, item_id: int, note: Note = "") -> Proposal:
        """Propose putting a parking-lot snag back on the list (status parked). Nothing changes
        until a member approves it."""
        caller(ctx, Role.member)
        check_kind(item_id, ItemKind.parking, "a parking-lot snag can be parked")
        return propose(ctx, item_id, {"status": "parked"}, note)

    @server.tool(annotations=PROPOSE)
    def propose_resolve(ctx: Context, item_id: int, note: Note = "") -> Proposal:
        """Propose marking a parking-lot snag resolved. Nothing changes until a member
        approves it."""
        caller(ctx, Role.member)
        check_kind(item_id, ItemKind.parking, "a parking-lot snag can be resolved")
        return propose(ctx, item_id, {"status": "resolved"}, note)
