"""Weekly digests: preview, send, delivery history; and the recipients who get them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status

from assistant.api.deps import LiaisonDep
from assistant.api.schemas_digest import DigestPreview, HistoryPage, RecipientDeleted, SendRequest
from assistant.digest.types import DeliveryRecord, Recipient, RecipientIn
from assistant.errors import InvalidInput

router = APIRouter()


@router.get("/digests", response_model=DigestPreview, tags=["digests"], summary="Preview a digest")
def preview_digest(
    liaison: LiaisonDep,
    week: Annotated[str | None, Query(description="ISO week, e.g. 2026-W44.")] = None,
    for_: Annotated[
        str, Query(alias="for", description="cio, cmo, or a recipient's id, email or name.")
    ] = "cio",
):
    """The digest as it would be sent, without sending it."""
    service = liaison.digests
    reader = service.reader(for_)
    digest = service.compose(week or service.default_week(reader), reader)
    return DigestPreview(
        week=digest.week,
        recipient=reader.name,
        role=reader.role,
        subject=digest.subject,
        empty_week=digest.empty_week,
        markdown=service.render(digest, "markdown"),
        html=service.render(digest, "html"),
    )


@router.get(
    "/digests/history", response_model=HistoryPage, tags=["digests"], summary="Delivery history"
)
def digest_history(
    liaison: LiaisonDep,
    limit: Annotated[int, Query(ge=1, le=1000)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
):
    records, total = liaison.digests.history_page(limit, offset)
    return HistoryPage(total=total, limit=limit, offset=offset, deliveries=records)


@router.post(
    "/digests/send",
    response_model=list[DeliveryRecord],
    tags=["digests"],
    summary="Send digests now",
)
def send_digest(request: SendRequest, liaison: LiaisonDep):
    """Send once: a digest already sent for that week and recipient is not sent again. A
    failed delivery is recorded (status `failed`, with the error) and retried later."""
    service = liaison.digests
    if request.for_.lower() == "all":
        readers = service.recipients(active_only=True)
        if not readers:
            raise InvalidInput("no active recipients; add one with POST /recipients")
    else:
        readers = [service.resolve(request.for_)]
    return [service.send(request.week or service.default_week(r), r) for r in readers]


@router.get(
    "/recipients", response_model=list[Recipient], tags=["digests"], summary="Digest recipients"
)
def list_recipients(liaison: LiaisonDep):
    return liaison.digests.recipients()


@router.post(
    "/recipients",
    response_model=Recipient,
    status_code=status.HTTP_201_CREATED,
    tags=["digests"],
    summary="Add a recipient",
)
def add_recipient(recipient: RecipientIn, liaison: LiaisonDep):
    return liaison.digests.add_recipient(recipient)


@router.delete(
    "/recipients/{recipient_id}",
    response_model=RecipientDeleted,
    tags=["digests"],
    summary="Remove a recipient",
)
def remove_recipient(recipient_id: int, liaison: LiaisonDep):
    """Their delivery history is kept."""
    return RecipientDeleted(deleted=liaison.digests.remove_recipient(recipient_id).id)
