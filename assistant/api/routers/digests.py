"""Weekly digests: preview, send, delivery history; and the recipients who get them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status

from assistant.api.contract import IdPath, Offset
from assistant.api.deps import LiaisonDep
from assistant.api.errors import error_responses
from assistant.api.paging import Limit, window
from assistant.api.schemas_digest import (
    WEEK_PATTERN,
    DigestPreview,
    HistoryPage,
    RecipientBody,
    RecipientDeleted,
    RecipientPage,
    SendRequest,
)
from assistant.api.security import CurrentUser
from assistant.auth import Role
from assistant.digest.service import ROLES
from assistant.digest.types import DeliveryRecord, Recipient
from assistant.errors import Forbidden, InvalidInput

router = APIRouter()


@router.get(
    "/digests",
    response_model=DigestPreview,
    tags=["digests"],
    summary="Preview a digest",
    responses=error_responses(404),
)
def preview_digest(
    liaison: LiaisonDep,
    user: CurrentUser,
    week: Annotated[
        str | None, Query(pattern=WEEK_PATTERN, description="ISO week, e.g. 2026-W44.")
    ] = None,
    for_: Annotated[
        str,
        Query(
            alias="for",
            description="cio, cmo or other; leaders may also name a recipient (id, email, name).",
        ),
    ] = "cio",
):
    """The digest as it would be sent, without sending it. Below leader, previews are for a
    role only, written for no one in particular: who receives digests is for leaders to see."""
    service = liaison.digests
    reader = _reader(
        service,
        user,
        for_,
        f"your role ({user.role.value}) may preview the digest of a role ({', '.join(ROLES)});"
        " a named recipient's needs leader",
    )
    return _preview(service, service.compose(week or service.default_week(reader), reader), reader)


@router.get(
    "/digests/recap/{meeting_id}",
    response_model=DigestPreview,
    tags=["digests"],
    summary="Preview a meeting's recap",
    responses=error_responses(404),
)
def preview_recap(
    meeting_id: IdPath,
    liaison: LiaisonDep,
    user: CurrentUser,
    for_: Annotated[
        str,
        Query(alias="for", description="cio, cmo or other; leaders may also name a recipient."),
    ] = "other",
):
    """One meeting's recap (decisions, actions with owners and dates, parked snags, what it
    changed in earlier items), as its attendees receive it; `week` is `recap-{meeting_id}`."""
    service = liaison.digests
    reader = _reader(
        service, user, for_, f"your role ({user.role.value}) may preview the recap of a role"
    )
    return _preview(service, service.recap(meeting_id, reader), reader)


def _reader(service, user, for_: str, refused: str):
    """Who a preview is for: leaders may name a recipient, others only a role."""
    if user.role.allows(Role.leader):
        return service.reader(for_)
    if for_.strip().lower() in ROLES:
        return service.stand_in(for_.strip())
    raise Forbidden(refused)


def _preview(service, digest, reader) -> DigestPreview:
    return DigestPreview(
        week=digest.week,
        recipient=reader.name,
        role=reader.role,
        subject=digest.subject,
        empty_week=digest.empty_week,
        markdown=service.render(digest, "markdown"),
        html=service.render(digest, "html"),
    )


@router.post(
    "/digests/recap/{meeting_id}/send",
    response_model=list[DeliveryRecord],
    tags=["digests"],
    summary="Send a meeting's recap to its attendees",
    responses=error_responses(404),
)
def send_recap(meeting_id: IdPath, liaison: LiaisonDep):
    """To each attendee who is an active recipient, once: a recap already sent is not sent
    again (the digest ledger, key `recap-{meeting_id}`)."""
    return liaison.digests.send_recaps(meeting_id)


@router.get(
    "/digests/history", response_model=HistoryPage, tags=["digests"], summary="Delivery history"
)
def digest_history(
    liaison: LiaisonDep,
    limit: Annotated[int, Query(ge=1, le=1000)] = 50,
    offset: Offset = 0,
):
    """Who was sent which digest, when (names and addresses: for leaders)."""
    records, total = liaison.digests.history_page(limit, offset)
    return HistoryPage(total=total, limit=limit, offset=offset, deliveries=records)


@router.post(
    "/digests/send",
    response_model=list[DeliveryRecord],
    tags=["digests"],
    summary="Send digests now",
    responses=error_responses(404),
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
    "/recipients", response_model=RecipientPage, tags=["digests"], summary="Digest recipients"
)
def list_recipients(liaison: LiaisonDep, limit: Limit = 200, offset: Offset = 0):
    """By id."""
    found, total = window(liaison.digests.recipients(), limit, offset)
    return RecipientPage(total=total, limit=limit, offset=offset, recipients=found)


@router.post(
    "/recipients",
    response_model=Recipient,
    status_code=status.HTTP_201_CREATED,
    tags=["digests"],
    summary="Add a recipient",
    responses=error_responses(409),
)
def add_recipient(recipient: RecipientBody, liaison: LiaisonDep):
    return liaison.digests.add_recipient(recipient)


@router.delete(
    "/recipients/{recipient_id}",
    response_model=RecipientDeleted,
    tags=["digests"],
    summary="Remove a recipient",
    responses=error_responses(404),
)
def remove_recipient(recipient_id: IdPath, liaison: LiaisonDep):
    """Their delivery history is kept."""
    return RecipientDeleted(deleted=liaison.digests.remove_recipient(recipient_id).id)
