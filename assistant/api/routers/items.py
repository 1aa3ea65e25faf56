"""Items (decisions, actions, parking lot) and the shared goals."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, status

from assistant.api.deps import LiaisonDep
from assistant.api.schemas import GoalPatch, ItemPage, ItemPatch, ParkedItem
from assistant.models import Goal, Item, ItemKind, Team
from assistant.store.items import ItemFilters

router = APIRouter()


@router.get("/items", response_model=ItemPage, tags=["items"], summary="List items")
def list_items(
    liaison: LiaisonDep,
    meeting: int | None = None,
    kind: ItemKind | None = None,
    status_: Annotated[str | None, Query(alias="status")] = None,
    goal: str | None = None,
    owner: str | None = None,
    team: Team | None = None,
    overdue: bool = False,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
    offset: Annotated[int, Query(ge=0)] = 0,
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


@router.get("/items/{item_id}", response_model=Item, tags=["items"], summary="One item")
def get_item(item_id: int, liaison: LiaisonDep):
    return liaison.item(item_id)


@router.patch("/items/{item_id}", response_model=Item, tags=["items"], summary="Correct an item")
def patch_item(item_id: int, patch: ItemPatch, liaison: LiaisonDep):
    """Only the fields sent are changed; corrected fields survive re-extraction."""
    return liaison.update_item(item_id, patch.model_dump(exclude_unset=True))


@router.post(
    "/items/{item_id}/undo", response_model=Item, tags=["items"], summary="Undo the last correction"
)
def undo_item(item_id: int, liaison: LiaisonDep):
    return liaison.undo_item(item_id)


@router.get(
    "/parking-lot", response_model=list[ParkedItem], tags=["items"], summary="Open parking lot"
)
def parking_lot(liaison: LiaisonDep):
    return [ParkedItem(**i.model_dump(), age_days=age) for i, age in liaison.parking_lot()]


@router.get("/goals", response_model=list[Goal], tags=["goals"], summary="List shared goals")
def list_goals(liaison: LiaisonDep):
    return liaison.goals()


@router.post(
    "/goals",
    response_model=Goal,
    status_code=status.HTTP_201_CREATED,
    tags=["goals"],
    summary="Create a goal",
)
def create_goal(goal: Goal, liaison: LiaisonDep):
    from assistant.errors import Conflict, GoalNotFound

    try:
        liaison.goal(goal.id)
    except GoalNotFound:
        return liaison.save_goal(goal)
    raise Conflict(f"goal {goal.id!r} already exists; use PATCH /goals/{goal.id}")


@router.get("/goals/{goal_id}", response_model=Goal, tags=["goals"], summary="One goal")
def get_goal(goal_id: str, liaison: LiaisonDep):
    return liaison.goal(goal_id)


@router.patch("/goals/{goal_id}", response_model=Goal, tags=["goals"], summary="Edit a goal")
def patch_goal(goal_id: str, patch: GoalPatch, liaison: LiaisonDep):
    return liaison.update_goal(goal_id, patch.model_dump(exclude_unset=True))
