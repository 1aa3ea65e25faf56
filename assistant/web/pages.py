"""Reading pages: home (goals, who owes whom, parking lot, decisions), meetings, one meeting."""

from __future__ import annotations

from datetime import date, timedelta

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from assistant.api.contract import IdPath, PageNumber
from assistant.api.deps import LiaisonDep
from assistant.api.security import CurrentUser
from assistant.models import Item, ItemKind, MeetingKind, SearchFilters, Team
from assistant.speakers import needs_names
from assistant.store.items import ItemFilters
from assistant.web.common import render

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 20


def _opt_date(value: str | None) -> date | None:
    """Empty form fields arrive as ''; a bad date is ignored rather than a 422 page."""
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


@router.get("/app/", response_class=HTMLResponse)
@router.get("/app", response_class=HTMLResponse)
def home(request: Request, liaison: LiaisonDep, user: CurrentUser):
    today = date.today()
    actions, _ = liaison.items(ItemFilters(kind=ItemKind.action, status="open"), 1000)
    owes: dict[str, list[Item]] = {"it": [], "marketing": [], "joint": []}
    for item in actions:
        side = {Team.it: "it", Team.marketing: "marketing"}.get(item.team, "joint")
        owes[side].append(item)
    for group in owes.values():  # overdue first, then by due date
        group.sort(key=lambda i: (i.due is None, i.due or today))
    week_start = today - timedelta(days=7)
    decisions, _ = liaison.items(ItemFilters(kind=ItemKind.decision, since=week_start), 100)
    decisions_note = None
    if not decisions:
        latest, _ = liaison.meetings(limit=1)
        if latest:
            decisions, _ = liaison.items(
                ItemFilters(kind=ItemKind.decision, meeting_id=latest[0].id), 100
            )
            decisions_note = f"No meeting this week; decisions of the latest one ({latest[0].date})"
    meetings, total_meetings = liaison.meetings(limit=5)
    titles = {m.id: m for m in liaison.meetings(limit=500)[0]}
    return render(
        request,
        "home.html",
        goals=liaison.goals(),
        owes=owes,
        parking=liaison.parking_lot(today),
        decisions=decisions,
        decisions_note=decisions_note,
        meetings=meetings,
        total_meetings=total_meetings,
        titles=titles,
    )


@router.get("/app/meetings", response_class=HTMLResponse)
def meetings(
    request: Request,
    liaison: LiaisonDep,
    user: CurrentUser,
    since: str | None = None,
    until: str | None = None,
    kind: str | None = None,
    speaker: str | None = None,
    page: PageNumber = 1,
):
    kind_value = kind if kind in MeetingKind.__members__ else None
    filters = SearchFilters(
        since=_opt_date(since),
        until=_opt_date(until),
        kind=MeetingKind(kind_value) if kind_value else None,
        speaker=speaker or None,
    )
    found, total = liaison.meetings(filters, PAGE_SIZE, (page - 1) * PAGE_SIZE)
    query = {
        k: v
        for k, v in {"since": since, "until": until, "kind": kind_value, "speaker": speaker}.items()
        if v
    }
    return render(
        request,
        "meetings.html",
        meetings=found,
        total=total,
        page=page,
        pages=max(1, -(-total // PAGE_SIZE)),
        query=query,
        kinds=list(MeetingKind),
        max_mb=liaison.settings.max_upload_mb,
        unnamed={m.id for m in found if needs_names(m.attendees, m.turn_count)},
    )


@router.get("/app/meetings/{meeting_id}", response_class=HTMLResponse)
def meeting(request: Request, meeting_id: IdPath, liaison: LiaisonDep, user: CurrentUser):
    detail = liaison.meeting(meeting_id)
    items, _ = liaison.items(ItemFilters(meeting_id=meeting_id), 10_000)
    by_turn: dict[int, list] = {}
    for item in items:
        for ev in item.evidence:
            by_turn.setdefault(ev.turn_index, []).append(item)
    # Items from earlier meetings whose status changed in this one (resolved, superseded …).
    changed = []
    for kind in ItemKind:
        others, _ = liaison.items(ItemFilters(kind=kind, until=detail.meeting.date), 10_000)
        for other in others:
            cited = [e for e in other.status_evidence if e.meeting_id == meeting_id]
            if cited and other.meeting_id != meeting_id:
                changed.append(other)
                for ev in cited:
                    by_turn.setdefault(ev.turn_index, []).append(other)
    return render(
        request,
        "meeting.html",
        meeting=detail.meeting,
        turns=detail.turns,
        items=items,
        changed=changed,
        by_turn=by_turn,
        speakers=liaison.meeting_speakers(meeting_id),  # names, and renames to undo
    )
