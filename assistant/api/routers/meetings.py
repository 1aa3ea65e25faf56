"""Meetings: upload, list, read, delete; and search over their transcripts."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, File, Form, Query, Request, UploadFile, status
from fastapi.responses import JSONResponse

from assistant.api.deps import LiaisonDep
from assistant.api.errors import status_for
from assistant.api.schemas import (
    Deleted,
    FileResult,
    MeetingOut,
    MeetingPage,
    SearchOut,
    UploadResult,
)
from assistant.errors import IngestError, UploadTooLarge
from assistant.models import MeetingKind, SearchFilters

router = APIRouter(tags=["meetings"])


async def _read_limited(upload: UploadFile, limit: int) -> bytes:
    """Read an upload, refusing as soon as it passes the limit (never buffers more)."""
    data = bytearray()
    while chunk := await upload.read(1 << 20):
        data += chunk
        if len(data) > limit:
            raise UploadTooLarge(
                f"file is larger than the {limit / 1024 / 1024:g} MB limit",
                source=upload.filename or "upload",
            )
    return bytes(data)


@router.post(
    "/meetings",
    response_model=UploadResult,
    status_code=status.HTTP_201_CREATED,
    summary="Upload one or many transcripts",
    responses={
        400: {"description": "no file could be read"},
        413: {"description": "upload over the size limit"},
        415: {"description": "unsupported file format"},
    },
)
async def upload_meetings(
    request: Request,
    liaison: LiaisonDep,
    files: Annotated[list[UploadFile], File(description="Transcript files.")],
    title: Annotated[str | None, Form()] = None,
    date_: Annotated[date | None, Form(alias="date")] = None,
    kind: Annotated[MeetingKind | None, Form()] = None,
):
    """Each file is stored whole or not at all; per-file errors are listed in `files`.
    When every file fails, the status is that of the first error."""
    limit = liaison.settings.max_upload_bytes
    declared = int(request.headers.get("content-length") or 0)
    if declared > limit * max(1, len(files)) + 1_000_000:
        raise UploadTooLarge(
            f"upload is larger than the {liaison.settings.max_upload_mb:g} MB limit",
            source=", ".join(f.filename or "upload" for f in files),
        )
    results, errors, new_ids = [], [], []
    for upload in files:
        name = upload.filename or "upload"
        try:
            data = await _read_limited(upload, limit)
        except IngestError as exc:
            errors.append(exc)
            results.append(FileResult(source=name, error=str(exc)))
            continue
        outcome = await run_sync(
            liaison.ingest_bytes, data, name, title=title, day=date_, kind=kind
        )
        if outcome.error:
            errors.append(outcome)
        elif outcome.meeting and not outcome.duplicate_of:
            new_ids.append(outcome.meeting.id)
        results.append(
            FileResult(
                source=name,
                meeting_id=outcome.meeting.id if outcome.meeting else None,
                duplicate_of=outcome.duplicate_of,
                items=outcome.items,
                error=outcome.error,
                line=outcome.line,
            )
        )
    body = UploadResult(meeting_ids=new_ids, files=results)
    if results and all(r.error for r in results):
        first = errors[0]
        code = status_for(first if isinstance(first, IngestError) else first.error_type)
        return JSONResponse(
            status_code=code,
            content={
                "error": "IngestError",
                "detail": results[0].error,
                **body.model_dump(mode="json"),
            },
        )
    return body


async def run_sync(func, *args, **kwargs):
    from starlette.concurrency import run_in_threadpool

    return await run_in_threadpool(func, *args, **kwargs)


@router.get("/meetings", response_model=MeetingPage, summary="List meetings, newest first")
def list_meetings(
    liaison: LiaisonDep,
    since: date | None = None,
    until: date | None = None,
    kind: MeetingKind | None = None,
    speaker: str | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
):
    filters = SearchFilters(since=since, until=until, kind=kind, speaker=speaker)
    found, total = liaison.meetings(filters, limit, offset)
    return MeetingPage(total=total, limit=limit, offset=offset, meetings=found)


@router.get(
    "/meetings/{meeting_id}", response_model=MeetingOut, summary="One meeting with its turns"
)
def get_meeting(meeting_id: int, liaison: LiaisonDep):
    detail = liaison.meeting(meeting_id)
    return MeetingOut(meeting=detail.meeting, turns=detail.turns)


@router.delete("/meetings/{meeting_id}", response_model=Deleted, summary="Delete a meeting")
def delete_meeting(meeting_id: int, liaison: LiaisonDep):
    liaison.delete_meeting(meeting_id)
    return Deleted(deleted=meeting_id)


@router.get(
    "/search", response_model=SearchOut, summary="Hybrid search over transcripts", tags=["search"]
)
def search(
    liaison: LiaisonDep,
    q: Annotated[str, Query(min_length=1, description="What to look for.")],
    meeting: int | None = None,
    since: date | None = None,
    until: date | None = None,
    speaker: str | None = None,
    kind: MeetingKind | None = None,
    k: Annotated[int, Query(ge=1, le=200)] = 10,
):
    filters = SearchFilters(
        meeting_id=meeting, since=since, until=until, speaker=speaker, kind=kind
    )
    return SearchOut(query=q, hits=liaison.search(q, filters, k))
