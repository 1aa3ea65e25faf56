"""Questions across meetings, answered with checked citations."""

from __future__ import annotations

from fastapi import APIRouter

from assistant.answer import Answer
from assistant.api.deps import LiaisonDep
from assistant.api.schemas_ask import AskRequest

router = APIRouter()


@router.post("/ask", response_model=Answer, tags=["ask"], summary="Ask across meetings")
def ask(body: AskRequest, liaison: LiaisonDep):
    """Every line of the answer cites a numbered source; `found` is false when the meetings
    hold nothing relevant, and `flagged` when citations to unknown passages were removed."""
    return liaison.asker.ask(body.question, body.today, offline=body.offline)
