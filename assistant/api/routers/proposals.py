"""Proposed changes to items (from MCP tools or scripts): list them, approve or reject them.

Approving applies the change as the approver's correction (undoable with POST
/items/{id}/undo); the proposal, the decision and the change are in GET /items/{id}/history."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, status
from pydantic import BaseModel, Field

from assistant.api.contract import IdPath, IsoDate, Offset, OptionalId, StrictBody
from assistant.api.deps import LiaisonDep
from assistant.api.errors import error_responses
from assistant.api.security import CurrentUser
from assistant.models import Item
from assistant.proposals import Proposal

router = APIRouter(tags=["proposals"])


class ProposalPage(BaseModel):
    total: int
    limit: int
    offset: int
    proposals: list[Proposal]


class ProposedChanges(StrictBody):
    """What to change: at least one field. Null clears the owner or the due date."""

    status: str | None = Field(default=None, description="e.g. done, parked, resolved")
    owner: str | None = None
    due: IsoDate | None = None


class ProposalIn(StrictBody):
    item_id: int = Field(ge=1, le=2**63 - 1)
    changes: ProposedChanges
    note: str = Field(default="", max_length=2000)


class Decision(StrictBody):
    reason: str = Field(default="", max_length=2000, description="Shown in the proposal.")


class Approved(BaseModel):
    proposal: Proposal
    item: Item = Field(description="The item with the change applied.")


@router.get("/proposals", response_model=ProposalPage, summary="List proposals, newest first")
def list_proposals(
    liaison: LiaisonDep,
    status_: Annotated[
        Literal["pending", "approved", "rejected"] | None, Query(alias="status")
    ] = None,
    item: OptionalId = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 50,
    offset: Offset = 0,
):
    found, total = liaison.proposals.page(status_, item, limit, offset)
    return ProposalPage(total=total, limit=limit, offset=offset, proposals=found)


@router.post(
    "/proposals",
    response_model=Proposal,
    status_code=status.HTTP_201_CREATED,
    summary="Propose a change to an item",
    responses=error_responses(404, 409),
)
def create_proposal(body: ProposalIn, liaison: LiaisonDep, user: CurrentUser):
    """The item does not change until a member approves the proposal."""
    changes = body.changes.model_dump(exclude_unset=True)
    return liaison.proposals.propose(
        body.item_id, changes, author=user.name, note=body.note, via="api"
    )


@router.get(
    "/proposals/{proposal_id}",
    response_model=Proposal,
    summary="One proposal",
    responses=error_responses(404),
)
def get_proposal(proposal_id: IdPath, liaison: LiaisonDep):
    return liaison.proposals.get(proposal_id)


@router.post(
    "/proposals/{proposal_id}/approve",
    response_model=Approved,
    summary="Approve a proposal (applies it)",
    responses=error_responses(404, 409),
)
def approve_proposal(
    proposal_id: IdPath, liaison: LiaisonDep, user: CurrentUser, body: Decision | None = None
):
    """Applies the change as your correction; 409 when it was already decided."""
    proposal, item = liaison.proposals.approve(
        proposal_id, by=user.name, reason=body.reason if body else ""
    )
    return Approved(proposal=proposal, item=item)


@router.post(
    "/proposals/{proposal_id}/reject",
    response_model=Proposal,
    summary="Reject a proposal",
    responses=error_responses(404, 409),
)
def reject_proposal(
    proposal_id: IdPath, liaison: LiaisonDep, user: CurrentUser, body: Decision | None = None
):
    """The item stays as it is; 409 when it was already decided."""
    return liaison.proposals.reject(proposal_id, by=user.name, reason=body.reason if body else "")
