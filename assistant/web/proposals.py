"""Proposals page: changes an assistant (MCP) or a script proposed; members approve or reject."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from assistant.api.contract import IdPath, PageNumber
from assistant.api.deps import LiaisonDep
from assistant.api.security import CurrentUser
from assistant.errors import LiaisonError, NotFound
from assistant.web.common import back, render

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 50
VIEWS = ("pending", "approved", "rejected")


@router.get("/app/proposals", response_class=HTMLResponse)
def proposals_page(
    request: Request,
    liaison: LiaisonDep,
    user: CurrentUser,
    status: str = "pending",
    page: PageNumber = 1,
):
    status = status if status in VIEWS else "pending"
    found, total = liaison.proposals.page(status, None, PAGE_SIZE, (page - 1) * PAGE_SIZE)
    items = {}
    for proposal in found:
        try:
            items[proposal.item_id] = liaison.item(proposal.item_id)
        except NotFound:  # cannot happen: proposals go with their item
            continue
    meetings = {m.id: m for m in liaison.meetings(limit=500)[0]}
    return render(
        request,
        "proposals.html",
        proposals=found,
        items=items,
        meetings=meetings,
        status=status,
        views=VIEWS,
        total=total,
        query={"status": status},
        page=page,
        pages=max(1, -(-total // PAGE_SIZE)),
    )


def _decide(liaison, proposal_id: int, user, action: str, reason: str) -> RedirectResponse:
    target = "/app/proposals"
    try:
        if action == "approve":
            proposal, _ = liaison.proposals.approve(proposal_id, by=user.name, reason=reason)
            return back(target, ok=f"Proposal {proposal_id} approved: {proposal.summary}")
        proposal = liaison.proposals.reject(proposal_id, by=user.name, reason=reason)
        return back(target, ok=f"Proposal {proposal_id} rejected")
    except LiaisonError as exc:
        return back(target, error=str(exc))


@router.post("/app/proposals/{proposal_id}/approve", response_class=RedirectResponse)
def approve(
    proposal_id: IdPath,
    liaison: LiaisonDep,
    user: CurrentUser,
    reason: Annotated[str, Form(max_length=2000)] = "",
):
    """Apply the change as the approver's correction (undoable on the items page)."""
    return _decide(liaison, proposal_id, user, "approve", reason)


@router.post("/app/proposals/{proposal_id}/reject", response_class=RedirectResponse)
def reject(
    proposal_id: IdPath,
    liaison: LiaisonDep,
    user: CurrentUser,
    reason: Annotated[str, Form(max_length=2000)] = "",
):
    return _decide(liaison, proposal_id, user, "reject", reason)
