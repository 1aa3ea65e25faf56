"""Digests page: this week's digest for each reader as it will be sent, and what was sent."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from assistant.api.deps import LiaisonDep
from assistant.api.security import CurrentUser
from assistant.auth import Role
from assistant.digest.service import ROLES
from assistant.errors import Forbidden, LiaisonError
from assistant.web.common import back, render

router = APIRouter(include_in_schema=False)


@router.get("/app/digests", response_class=HTMLResponse)
def digests_page(
    request: Request,
    liaison: LiaisonDep,
    user: CurrentUser,
    reader: str = "cio",
    week: str | None = None,
):
    service = liaison.digests
    # Who receives digests (names, addresses, what was sent) is for leaders to see; below
    # that, a preview is of a role's digest, written for no one in particular.
    leader = user.role.allows(Role.leader)
    recipients = service.recipients() if leader else []
    readers = [("cio", "CIO"), ("cmo", "CMO")] + [
        (str(r.id), f"{r.name} ({r.role})") for r in recipients
    ]
    preview = problem = None
    try:
        if not leader and reader.strip().lower() not in ROLES:
            raise Forbidden("previewing a named recipient's digest needs leader")
        who = service.reader(reader) if leader else service.stand_in(reader.strip())
        week = week or service.default_week(who)
        digest = service.compose(week, who)
        preview = {
            "subject": digest.subject,
            "week": digest.week,
            "for": who.name,
            "empty": digest.empty_week,
            "html": service.render(digest, "html"),
        }
    except LiaisonError as exc:
        problem = str(exc)
    history, total = service.history_page(50, 0) if leader else ([], 0)
    return render(
        request,
        "digests.html",
        readers=readers,
        reader=reader,
        week=week or "",
        preview=preview,
        problem=problem,
        history=history,
        history_total=total,
        can_send=any(str(r.id) == reader for r in recipients)
        or any(r.role == reader for r in recipients if r.active),
    )


@router.post("/app/digests/send", response_class=RedirectResponse)
def send_digest(
    liaison: LiaisonDep,
    user: CurrentUser,
    reader: Annotated[str, Form()] = "",
    week: Annotated[str, Form()] = "",
):
    target = f"/app/digests?reader={reader}&week={week}"
    service = liaison.digests
    try:
        record = service.send(week or None, reader)
    except LiaisonError as exc:
        return back(target, error=str(exc))
    if record.status == "sent":
        return back(target, ok=f"Digest {record.week} sent to {record.recipient_name}")
    return back(target, error=f"Digest not sent: {record.last_error or record.status}")
