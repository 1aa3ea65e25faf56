"""Items page: decisions, actions and parking lot as tables people correct in place."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from assistant.api.contract import IdPath, OptionalId, PageNumber
from assistant.api.deps import LiaisonDep
from assistant.api.security import CurrentUser
from assistant.errors import LiaisonError
from assistant.models import STATUSES, ItemKind, Team
from assistant.store.items import ItemFilters
from assistant.web.common import back, render

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 50


def _return_to(value: str | None) -> str:
    if value and value.startswith("/app/") and not value.startswith("//"):
        return value
    return "/app/items"


@router.get("/app/items", response_class=HTMLResponse)
def items_page(
    request: Request,
    liaison: LiaisonDep,
    user: CurrentUser,
    kind: str = "action",
    status: str | None = None,
    owner: str | None = None,
    team: str | None = None,
    overdue: bool = False,
    meeting: OptionalId = None,
    goal: str | None = None,
    page: PageNumber = 1,
):
    kind_ = ItemKind(kind) if kind in ItemKind.__members__ else ItemKind.action
    team_ = Team(team) if team in {t.value for t in Team} else None
    status_ = status if status in STATUSES[kind_] else None
    filters = ItemFilters(
        kind=kind_,
        status=status_,
        owner=owner or None,
        team=team_,
        meeting_id=meeting,
        goal_id=goal or None,
        overdue_on=date.today() if overdue and kind_ == ItemKind.action else None,
    )
    found, total = liaison.items(filters, PAGE_SIZE, (page - 1) * PAGE_SIZE)
    ages = (
        dict((i.id, age) for i, age in liaison.parking_lot()) if kind_ == ItemKind.parking else {}
    )
    meetings = {m.id: m for m in liaison.meetings(limit=500)[0]}
    # What later meetings said about each item (done, revisited, a date moved), with the words.
    said_later = {
        i.id: [e for e in liaison.item_history(i.id) if e.source == "tracker" and e.evidence]
        for i in found
    }
    query = {
        k: v
        for k, v in {
            "kind": kind_.value,
            "status": status_,
            "owner": owner,
            "team": team_.value if team_ else None,
            "overdue": "true" if overdue else None,
            "meeting": meeting,
            "goal": goal,
        }.items()
        if v
    }
    return render(
        request,
        "items.html",
        items=found,
        total=total,
        kind=kind_,
        kinds=list(ItemKind),
        statuses=STATUSES[kind_],
        teams=list(Team),
        goals=liaison.goals(),
        ages=ages,
        meetings=meetings,
        said_later=said_later,
        query=query,
        page=page,
        pages=max(1, -(-total // PAGE_SIZE)),
        self_url=str(request.url.path) + ("?" + request.url.query if request.url.query else ""),
    )


@router.post("/app/items/{item_id}", response_class=RedirectResponse)
def edit_item(
    item_id: IdPath,
    liaison: LiaisonDep,
    user: CurrentUser,
    text: Annotated[str | None, Form()] = None,
    owner: Annotated[str | None, Form()] = None,
    team: Annotated[str | None, Form()] = None,
    due: Annotated[str | None, Form()] = None,
    goal_id: Annotated[str | None, Form()] = None,
    status: Annotated[str | None, Form()] = None,
    return_to: Annotated[str | None, Form()] = None,
):
    """Save the fields of the row form; only fields that differ become corrections."""
    target = _return_to(return_to) + f"#item-{item_id}"
    try:
        item = liaison.item(item_id)
        changes: dict = {}
        if text is not None:
            changes["text"] = text.strip()
        if owner is not None:
            changes["owner"] = owner.strip() or None
        if team:
            changes["team"] = Team(team)
        if due is not None:
            changes["due"] = date.fromisoformat(due) if due else None
        if goal_id is not None:
            changes["goal_id"] = goal_id or None
        if status:
            changes["status"] = status
        changes = {k: v for k, v in changes.items() if v != getattr(item, k)}
        if not changes:
            return back(target, ok="Nothing changed")
        liaison.update_item(item_id, changes, author=user.name)
    except ValueError as exc:  # a bad date or team typed by hand
        return back(target, error=f"invalid value: {exc}")
    except LiaisonError as exc:
        return back(target, error=str(exc))
    return back(target, ok=f"Item {item_id} saved")


@router.post("/app/items/{item_id}/undo", response_class=RedirectResponse)
def undo_item(
    item_id: IdPath,
    liaison: LiaisonDep,
    user: CurrentUser,
    return_to: Annotated[str | None, Form()] = None,
):
    target = _return_to(return_to) + f"#item-{item_id}"
    try:
        liaison.undo_item(item_id)
    except LiaisonError as exc:
        return back(target, error=str(exc))
    return back(target, ok=f"Item {item_id}: last correction undone")
