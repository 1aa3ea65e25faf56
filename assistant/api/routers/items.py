"""Items (decisions, actions, parking lot) and the shared goals."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, status

from assistant.api.contract import IdPath, Offset, OptionalId
from assistant.api.deps import LiaisonDep
from assistant.api.errors import error_responses
from assistant.api.paging import Limit, window
from assistant.api.schemas import (
    GoalIn,
    GoalPage,
    GoalPatch,
    ItemHistoryPage,
    ItemPage,
    ItemPatch,
    KpiReadingPage,
    ParkedItem,
    ParkingPage,
)
from assistant.api.security import CurrentUser
from assistant.errors import Conflict, GoalNotFound
from assistant.kpi_readings import kpi_history
from assistant.models import Goal, Item, ItemKind, Team
from assistant.store.items import ItemFilters

router = APIRouter()


@router.get("/items", response_model=ItemPage, tags=["items"], summary="List items")
def list_items(
    liaison: LiaisonDep,
    meeting: OptionalId = None,
    kind: ItemKind | None = None,
    status_: Annotated[str | None, Query(alias="status")] = None,
    goal: str | None = None,
    owner: str | None = None,
    team: Team | None = None,
    overdue: bool = False,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
    offset: Offset = 0,
):
    filters = ItemFilters(
        meeting_id=meeting,
        kind=kind,
        status=status_,
        goal_id=goal,
        owner=owner,
        team=team,
        overdue_on=date.today() if overdue else None,
    )
    found, total = liaison.items(filters, limit, offset)
    return ItemPage(total=total, limit=limit, offset=offset, items=found)


@router.get(
    "/items/{item_id}",
    response_model=Item,
    tags=["items"],
    summary="One item",
    responses=error_responses(404),
)
def get_item(item_id: IdPath, liaison: LiaisonDep):
    return liaison.item(item_id)


@router.patch(
    "/items/{item_id}",
    response_model=Item,
    tags=["items"],
    summary="Correct an item",
    responses=error_responses(404),
)
def patch_item(item_id: IdPath, patch: ItemPatch, liaison: LiaisonDep):
    """Only the fields sent are changed; corrected fields survive re-extraction."""
    return liaison.update_item(item_id, patch.model_dump(exclude_unset=True))


@router.post(
    "/items/{item_id}/undo",
    response_model=Item,
    tags=["items"],
    summary="Undo the last correction",
    responses=error_responses(404),
)
def undo_item(item_id: IdPath, liaison: LiaisonDep):
    return liaison.undo_item(item_id)


@router.get(
    "/items/{item_id}/history",
    response_model=ItemHistoryPage,
    tags=["items"],
    summary="What happened to an item",
    responses=error_responses(404),
)
def item_history(item_id: IdPath, liaison: LiaisonDep, limit: Limit = 200, offset: Offset = 0):
    """Oldest first: corrections by people, and what later meetings said (status done,
    revisited, resolved, superseded; a due date moved), each with the meeting and its words;
    proposals (source `proposal`) and their approval or rejection (source `review`)."""
    events, total = window(liaison.item_history(item_id), limit, offset)
    return ItemHistoryPage(total=total, limit=limit, offset=offset, events=events)


@router.get("/parking-lot", response_model=ParkingPage, tags=["items"], summary="Open parking lot")
def parking_lot(liaison: LiaisonDep, limit: Limit = 200, offset: Offset = 0):
    """Parked and revisited snags, oldest first (ties by id)."""
    found, total = window(liaison.parking_lot(), limit, offset)
    parked = [ParkedItem(**i.model_dump(), age_days=age) for i, age in found]
    return ParkingPage(total=total, limit=limit, offset=offset, items=parked)


@router.get("/goals", response_model=GoalPage, tags=["goals"], summary="List shared goals")
def list_goals(liaison: LiaisonDep, limit: Limit = 200, offset: Offset = 0):
    """By id."""
    goals, total = window(liaison.goals(), limit, offset)
    return GoalPage(total=total, limit=limit, offset=offset, goals=goals)


@router.post(
    "/goals",
    response_model=Goal,
    status_code=status.HTTP_201_CREATED,
    tags=["goals"],
    summary="Create a goal",
    responses=error_responses(409),
)
def create_goal(body: GoalIn, liaison: LiaisonDep, user: CurrentUser):
    goal = Goal.model_validate(body.model_dump())
    try:
        liaison.goal(goal.id)
    except GoalNotFound:
        return liaison.save_goal(goal, user.name)
    raise Conflict(f"goal {goal.id!r} already exists; use PATCH /goals/{goal.id}")


@router.get(
    "/goals/{goal_id}",
    response_model=Goal,
    tags=["goals"],
    summary="One goal",
    responses=error_responses(404),
)
def get_goal(goal_id: str, liaison: LiaisonDep):
    return liaison.goal(goal_id)


@router.patch(
    "/goals/{goal_id}",
    response_model=Goal,
    tags=["goals"],
    summary="Edit a goal",
    responses=error_responses(404),
)
def patch_goal(goal_id: str, patch: GoalPatch, liaison: LiaisonDep, user: CurrentUser):
    """A changed KPI value is kept in the KPI history (`GET /goals/{id}/kpis`), by the caller."""
    return liaison.update_goal(goal_id, patch.model_dump(exclude_unset=True), user.name)


@router.get(
    "/goals/{goal_id}/kpis",
    response_model=KpiReadingPage,
    tags=["goals"],
    summary="A goal's KPI history",
    responses=error_responses(404),
)
def goal_kpis(goal_id: str, liaison: LiaisonDep, limit: Limit = 200, offset: Offset = 0):
    """Every value the goal's KPIs took, oldest first (ties by id): set by a goal import or an
    edit (`author`), or said in a meeting (`meeting_id`, `turn_index`, `quote`). Values said
    in meetings do not change the goal's own current values."""
    readings, total = window(kpi_history(liaison, goal_id), limit, offset)
    return KpiReadingPage(total=total, limit=limit, offset=offset, readings=readings)
