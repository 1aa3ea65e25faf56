"""Settings forms for the features of other modules: glossary terms, approved tools (leaders)
and digest recipients (admins)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import RedirectResponse

from assistant.api.contract import IdPath
from assistant.api.deps import LiaisonDep
from assistant.api.security import CurrentUser
from assistant.errors import InvalidInput, LiaisonError
from assistant.web.common import back

router = APIRouter(include_in_schema=False)


def _split(text: str) -> list[str]:
    return [a.strip() for a in text.split(",") if a.strip()]


@router.post("/app/settings/glossary", response_class=RedirectResponse)
def add_term(
    liaison: LiaisonDep,
    user: CurrentUser,
    term: Annotated[str, Form()] = "",
    aliases: Annotated[str, Form()] = "",
    for_it: Annotated[str, Form()] = "",
    for_marketing: Annotated[str, Form()] = "",
):
    glossary = liaison.glossary
    try:
        added = glossary.add(
            {
                "term": term,
                "aliases": _split(aliases),
                "for_it": for_it,
                "for_marketing": for_marketing,
            },
            author=user.name,
        )
    except LiaisonError as exc:
        return back("/app/settings#glossary", error=str(exc))
    return back("/app/settings#glossary", ok=f"Term {added.term!r} saved")


@router.post("/app/settings/glossary/remove", response_class=RedirectResponse)
def remove_term(liaison: LiaisonDep, user: CurrentUser, term: Annotated[str, Form()] = ""):
    glossary = liaison.glossary
    try:
        glossary.remove(term)
    except LiaisonError as exc:
        return back("/app/settings#glossary", error=str(exc))
    return back("/app/settings#glossary", ok=f"Term {term!r} removed")


@router.post("/app/settings/tools", response_class=RedirectResponse)
def approve_tool(
    liaison: LiaisonDep,
    user: CurrentUser,
    name: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
):
    tools = liaison.tools
    try:
        tool = tools.approve(name, note, author=user.name)
    except LiaisonError as exc:
        return back("/app/settings#tools", error=str(exc))
    return back("/app/settings#tools", ok=f"{tool.name} approved")


@router.post("/app/settings/tools/remove", response_class=RedirectResponse)
def unapprove_tool(liaison: LiaisonDep, user: CurrentUser, name: Annotated[str, Form()] = ""):
    tools = liaison.tools
    try:
        tools.unapprove(name)
    except LiaisonError as exc:
        return back("/app/settings#tools", error=str(exc))
    return back("/app/settings#tools", ok=f"{name} removed from the approved list")


@router.post("/app/settings/recipients", response_class=RedirectResponse)
def add_recipient(
    liaison: LiaisonDep,
    user: CurrentUser,
    name: Annotated[str, Form()] = "",
    email: Annotated[str, Form()] = "",
    role: Annotated[str, Form()] = "other",
    timezone: Annotated[str, Form()] = "UTC",
    channel: Annotated[str, Form()] = "email",
):
    service = liaison.digests
    try:
        from pydantic import ValidationError

        from assistant.digest.types import RecipientIn

        try:
            data = RecipientIn.model_validate(
                {
                    "name": name,
                    "email": email,
                    "role": role,
                    "timezone": timezone,
                    "channel": channel,
                }
            )
        except ValidationError as exc:
            first = exc.errors()[0]
            raise InvalidInput(f"{'.'.join(map(str, first['loc']))}: {first['msg']}") from exc
        added = service.add_recipient(data)
    except LiaisonError as exc:
        return back("/app/settings#digest", error=str(exc))
    return back("/app/settings#digest", ok=f"{added.name} will receive the digest")


@router.post("/app/settings/recipients/{recipient_id}/remove", response_class=RedirectResponse)
def remove_recipient(recipient_id: IdPath, liaison: LiaisonDep, user: CurrentUser):
    service = liaison.digests
    try:
        removed = service.remove_recipient(recipient_id)
    except LiaisonError as exc:
        return back("/app/settings#digest", error=str(exc))
    return back("/app/settings#digest", ok=f"{removed.name} removed")
