"""Ask page: a question in plain words, the answer with citations, and search results."""

from __future__ import annotations

import re

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup, escape

from assistant.api.deps import LiaisonDep
from assistant.api.security import CurrentUser
from assistant.errors import LiaisonError
from assistant.models import MeetingKind, SearchFilters
from assistant.store.db import as_id
from assistant.web.common import render
from assistant.web.pages import _opt_date

router = APIRouter(include_in_schema=False)
_MARK = re.compile(r"\[([0-9]{1,6})\]")


def cited_html(answer) -> Markup:
    """The answer text, escaped, with each [n] turned into a link to citation n's moment."""
    by_n = {c.n: c for c in getattr(answer, "citations", [])}

    def link(match: re.Match) -> str:
        c = by_n.get(int(match.group(1)))
        if c is None:
            return match.group(0)
        return (
            f'<a class="cite" href="/app/meetings/{c.meeting_id}#t{c.turn_start}"'
            f' title="{escape(c.title)}, {c.date}">[{c.n}]</a>'
        )

    return Markup(_MARK.sub(link, str(escape(answer.answer))).replace("\n", "<br>"))


@router.get("/app/ask", response_class=HTMLResponse)
def ask_page(
    request: Request,
    liaison: LiaisonDep,
    user: CurrentUser,
    q: str = "",
    since: str | None = None,
    until: str | None = None,
    speaker: str | None = None,
    kind: str | None = None,
    meeting: str | None = None,  # '' from the form's "any"
):
    q = q.strip()
    meeting_id = as_id(meeting) if meeting else None
    kind_value = kind if kind in MeetingKind.__members__ else None
    filters = SearchFilters(
        since=_opt_date(since),
        until=_opt_date(until),
        speaker=speaker or None,
        kind=MeetingKind(kind_value) if kind_value else None,
        meeting_id=meeting_id,
    )
    answer = hits = None
    ask_error = search_error = None
    if q:
        try:
            answer = liaison.asker.ask(q)
        except LiaisonError as exc:
            ask_error = str(exc)
        try:
            hits = liaison.search(q, filters, 10)
        except LiaisonError as exc:
            search_error = str(exc)
    return render(
        request,
        "ask.html",
        q=q,
        answer=answer,
        answer_html=cited_html(answer) if answer is not None else None,
        hits=hits,
        ask_error=ask_error,
        search_error=search_error,
        filters={
            "since": since or "",
            "until": until or "",
            "speaker": speaker or "",
            "kind": kind_value or "",
            "meeting": meeting_id or "",
        },
        kinds=list(MeetingKind),
        meetings=liaison.meetings(limit=500)[0],
    )
