"""Exports (CSV, XLSX, JSON, Markdown and DOCX minutes, ICS) and calendars: secret feed URLs,
the public feed itself, and the import of an ICS calendar."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, File, Path, Query, Request, UploadFile, status
from fastapi.responses import Response
from pydantic import BaseModel, Field

from assistant.api.contract import IdPath, IsoDate, Offset, OptionalId, StrictBody
from assistant.api.deps import LiaisonDep
from assistant.api.errors import error_responses
from assistant.api.routers.meetings import _read_limited
from assistant.api.security import CurrentUser
from assistant.errors import InvalidInput
from assistant.exports.feeds import Feed
from assistant.exports.service import MEDIA, CalendarEvent, CalendarReport, Export
from assistant.models import ItemKind, Team
from assistant.store.items import ItemFilters

router = APIRouter()
MAX_CALENDAR_BYTES = 5 * 1024 * 1024


def _file(export: Export, inline: bool = False) -> Response:
    disposition = "inline" if inline else "attachment"
    return Response(
        export.content,
        media_type=export.media_type,
        headers={"Content-Disposition": f'{disposition}; filename="{export.filename}"'},
    )


def _content(*kinds: str, description: str) -> dict:
    binary = {"type": "string", "format": "binary"}
    items = {"type": "array", "items": {"$ref": "#/components/schemas/Item"}}  # as GET /items
    return {
        200: {
            "description": description,
            "content": {
                MEDIA[k].split(";")[0]: {"schema": items if k == "json" else binary} for k in kinds
            },
        }
    }


@router.get(
    "/exports/items",
    response_class=Response,
    tags=["exports"],
    summary="Items as CSV, XLSX or JSON (every field)",
    responses=_content("csv", "xlsx", "json", description="The items, as a file."),
)
def export_items(
    liaison: LiaisonDep,
    format_: Annotated[Literal["csv", "xlsx", "json"], Query(alias="format")] = "csv",
    meeting: OptionalId = None,
    kind: ItemKind | None = None,
    status_: Annotated[str | None, Query(alias="status", max_length=40)] = None,
    owner: Annotated[str | None, Query(max_length=200)] = None,
    team: Team | None = None,
    goal: Annotated[str | None, Query(max_length=200)] = None,
):
    """The same filters as `GET /items`; all items when none is given."""
    filters = ItemFilters(
        meeting_id=meeting, kind=kind, status=status_, owner=owner, team=team, goal_id=goal
    )
    return _file(liaison.exports.items_table(filters, format_))


@router.get(
    "/exports/meetings/{meeting_id}/minutes",
    response_class=Response,
    tags=["exports"],
    summary="Minutes of one meeting (Markdown or DOCX)",
    responses={**_content("md", "docx", description="The minutes."), **error_responses(404)},
)
def export_minutes(
    meeting_id: IdPath,
    liaison: LiaisonDep,
    format_: Annotated[Literal["md", "docx"], Query(alias="format")] = "md",
):
    """Attendees, decisions, action items, parking lot, and the earlier items the meeting
    changed; every line links to its moment in the web app."""
    return _file(liaison.exports.minutes(meeting_id, format_))


@router.get(
    "/exports/items/{item_id}/ics",
    response_class=Response,
    tags=["exports"],
    summary="One action as an .ics event",
    responses={
        **_content("ics", description="An all-day event on the due date."),
        **error_responses(404),
    },
)
def export_item_ics(item_id: IdPath, liaison: LiaisonDep):
    """Only actions with a due date have one (else 422)."""
    return _file(liaison.exports.item_ics(item_id))


@router.get(
    "/exports/calendar",
    response_class=Response,
    tags=["exports"],
    summary="Actions with due dates as an .ics calendar",
    responses=_content("ics", description="One all-day event per action with a due date."),
)
def export_calendar(
    liaison: LiaisonDep,
    owner: Annotated[str | None, Query(max_length=200)] = None,
    team: Team | None = None,
    meeting: OptionalId = None,
    status_: Annotated[str | None, Query(alias="status", max_length=40)] = None,
):
    """A one-off download; for a calendar that stays current, make a feed URL
    (`POST /calendar/feeds`)."""
    filters = ItemFilters(owner=owner, team=team, meeting_id=meeting, status=status_)
    name = (
        f"actions of {owner}" if owner else f"actions of team {team.value}" if team else "actions"
    )
    return _file(liaison.exports.items_ics(filters, name))


# ---------------------------------------------------------------------- calendar feeds


class FeedIn(StrictBody):
    scope: Literal["all", "mine", "owner", "team"] = Field(
        default="mine", description="all actions, mine (an owner's), or one team's."
    )
    value: str | None = Field(
        default=None,
        max_length=200,
        description="The owner's name as items give it (default: your user name), or the team.",
    )
    label: str = Field(default="", max_length=80)


class FeedCreated(BaseModel):
    feed: Feed
    url: str = Field(description="The secret feed URL: shown only now. Subscribe to it.")


class FeedPage(BaseModel):
    total: int
    limit: int
    offset: int
    feeds: list[Feed]


class FeedRevoked(BaseModel):
    revoked: int


class EventPage(BaseModel):
    total: int
    limit: int
    offset: int
    events: list[CalendarEvent]


@router.get(
    "/calendar/{secret}.ics",
    response_class=Response,
    tags=["calendar"],
    summary="A calendar feed (the secret URL calendar apps subscribe to)",
    responses={**_content("ics", description="The feed."), **error_responses(404)},
)
def calendar_feed(liaison: LiaisonDep, secret: Annotated[str, Path(max_length=100)]):
    """No sign-in: the URL's secret is the key. 404 once revoked."""
    return _file(liaison.exports.feed_ics(secret), inline=True)


@router.get("/calendar/feeds", response_model=FeedPage, tags=["calendar"], summary="Your feeds")
def list_feeds(
    liaison: LiaisonDep,
    user: CurrentUser,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Offset = 0,
):
    feeds = liaison.exports.feeds.list(user.name)
    return FeedPage(
        total=len(feeds), limit=limit, offset=offset, feeds=feeds[offset : offset + limit]
    )


@router.post(
    "/calendar/feeds",
    response_model=FeedCreated,
    status_code=status.HTTP_201_CREATED,
    tags=["calendar"],
    summary="Make a secret calendar feed URL",
)
def create_feed(body: FeedIn, liaison: LiaisonDep, user: CurrentUser):
    secret, feed = liaison.exports.feeds.create(user.name, body.scope, body.value, body.label)
    return FeedCreated(feed=feed, url=liaison.exports.feed_url(secret))


@router.delete(
    "/calendar/feeds/{feed_id}",
    response_model=FeedRevoked,
    tags=["calendar"],
    summary="Revoke a feed URL",
    responses=error_responses(404),
)
def revoke_feed(feed_id: IdPath, liaison: LiaisonDep, user: CurrentUser):
    liaison.exports.feeds.revoke(user.name, feed_id)
    return FeedRevoked(revoked=feed_id)


@router.post(
    "/calendar/import",
    response_model=CalendarReport,
    tags=["calendar"],
    summary="Import an ICS calendar (meeting titles, dates, attendees, series)",
    responses=error_responses(413),
)
async def import_calendar(
    request: Request, liaison: LiaisonDep, file: Annotated[UploadFile, File()]
):
    """Stored meetings the calendar's events were get their titles, dates, kinds and
    attendees; upcoming events are kept, so "before the QBR" gets the next QBR's date."""
    from starlette.concurrency import run_in_threadpool

    form = await request.form()
    if unknown := sorted(set(form) - {"file"}):
        raise InvalidInput(f"unknown form field {', '.join(unknown)}; accepted: file")
    data = await _read_limited(file, MAX_CALENDAR_BYTES)
    return await run_in_threadpool(liaison.exports.import_calendar, data)


@router.get(
    "/calendar/events",
    response_model=EventPage,
    tags=["calendar"],
    summary="Imported calendar events",
)
def calendar_events(
    liaison: LiaisonDep,
    since: IsoDate | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
    offset: Offset = 0,
):
    """One row per occurrence, by date; `since` (YYYY-MM-DD) keeps those on or after it."""
    found, total = liaison.exports.events(since, limit, offset)
    return EventPage(total=total, limit=limit, offset=offset, events=found)
