"""Meetings: upload, list, read, delete; and search over their transcripts."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Query, Request, UploadFile, status
from fastapi.responses import JSONResponse

from assistant.api.contract import IdPath, IsoDate, Offset, OptionalId
from assistant.api.deps import LiaisonDep
from assistant.api.errors import error_responses, status_for
from assistant.api.schemas import (
    Deleted,
    FileResult,
    MeetingOut,
    MeetingPage,
    SearchOut,
    UploadError,
    UploadResult,
)
from assistant.errors import IngestError, InvalidInput, UploadTooLarge
from assistant.models import MeetingKind, SearchFilters

router = APIRouter(tags=["meetings"])
UPLOAD_FIELDS = ("files", "title", "date", "kind")


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
    responses=error_responses(400, 413, 415, model=UploadError),
)
async def upload_meetings(
    request: Request,
    liaison: LiaisonDep,
    files: Annotated[list[UploadFile], File(description="Transcript files.")],
    title: Annotated[str | None, Form()] = None,
    date_: Annotated[IsoDate | None, Form(alias="date")] = None,
    kind: Annotated[MeetingKind | None, Form()] = None,
):
    """Each file is stored whole or not at all; per-file errors are listed in `files`.
    When every file fails, the status is that of the first error."""
    # The whole request is limited while it streams (api/limits.py); each file is, too.
    limit = liaison.settings.max_upload_bytes
    form = await request.form()
    if unknown := sorted(set(form) - set(UPLOAD_FIELDS)):
        raise InvalidInput(
            f"unknown form field {', '.join(unknown)}; accepted: {', '.join(UPLOAD_FIELDS)}"
        )
    results, errors, new_ids = [], [], []
    for upload in files:
        name = upload.filename or "upload"
        try:
            data = await _read_limited(upload, limit)
        except IngestError as exc:
            errors.append(exc)
            results.append(FileResult(source=name, error=str(exc), error_type=type(exc).__name__))
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
                error_type=outcome.error_type,
                line=outcome.line,
                warnings=outcome.warnings,
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
    since: IsoDate | None = None,
    until: IsoDate | None = None,
    kind: MeetingKind | None = None,
    speaker: str | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Offset = 0,
):
    filters = SearchFilters(since=since, until=until, kind=kind, speaker=speaker)
    found, total = liaison.meetings(filters, limit, offset)
    return MeetingPage(total=total, limit=limit, offset=offset, meetings=found)


@router.get(
    "/meetings/{meeting_id}",
    response_model=MeetingOut,
    summary="One meeting with its turns",
    responses=error_responses(404),
)
def get_meeting(meeting_id: IdPath, liaison: LiaisonDep):
    detail = liaison.meeting(meeting_id)
    return MeetingOut(meeting=detail.meeting, turns=detail.turns)


@router.delete(
    "/meetings/{meeting_id}",
    response_model=Deleted,
    summary="Delete a meeting",
    responses=error_responses(404),
)
def delete_meeting(meeting_id: IdPath, liaison: LiaisonDep):
    liaison.delete_meeting(meeting_id)
    return Deleted(deleted=meeting_id)


@router.get(
    "/search", response_model=SearchOut, summary="Hybrid search over transcripts", tags=["search"]
)
def search(
    liaison: LiaisonDep,
    q: Annotated[str, Query(min_length=1, max_length=2000, description="What to look for.")],
    meeting: OptionalId = None,
    since: IsoDate | None = None,
    until: IsoDate | None = None,
    speaker: str | None = None,
    kind: MeetingKind | None = None,
    k: Annotated[int, Query(ge=1, le=200)] = 10,
):
    filters = SearchFilters(
        meeting_id=meeting, since=since, until=until, speaker=speaker, kind=kind
    )
    return SearchOut(query=q, hits=liaison.search(q, filters, k))
