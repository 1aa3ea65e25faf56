"""Meetings: upload, list, read, delete; and search over their transcripts."""

from __future__ import annotations

import asyncio
import time
from typing import Annotated, Literal

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
from assistant.api.schemas_jobs import MeetingWords, TurnWords
from assistant.api.security import CurrentUser
from assistant.errors import IngestError, InvalidInput, UploadTooLarge
from assistant.jobs.types import Job, JobOptions
from assistant.models import MeetingKind, SearchFilters

router = APIRouter(tags=["meetings"])
UPLOAD_FIELDS = ("files", "title", "date", "kind", "wait")


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


WAIT_DOC = (
    "true: answer when every file has been ingested; false: answer 202 at once with the job"
    " ids; unset: wait up to LIAISON_UPLOAD_WAIT_S, then 202 if jobs are still running."
)


@router.post(
    "/meetings",
    response_model=UploadResult,
    status_code=status.HTTP_201_CREATED,
    summary="Upload one or many transcripts or recordings",
    responses={
        202: {
            "model": UploadResult,
            "description": "Accepted: the files are being ingested; follow GET /jobs/{id}.",
        },
        **error_responses(400, 413, 415, model=UploadError),
    },
)
async def upload_meetings(
    request: Request,
    liaison: LiaisonDep,
    user: CurrentUser,
    files: Annotated[list[UploadFile], File(description="Transcript or recording files.")],
    title: Annotated[str | None, Form()] = None,
    date_: Annotated[IsoDate | None, Form(alias="date")] = None,
    kind: Annotated[
        MeetingKind | None,
        Form(
            description="Default: from the title. weekly_sync, monthly_1on1 and qbr are read as "
            "the leaders' own meetings (their own item scorer); other as any meeting."
        ),
    ] = None,
    wait: Annotated[Literal["true", "false"] | None, Form(description=WAIT_DOC)] = None,
):
    """Each file becomes an upload job, ingested by a worker process (a long file holds no
    request open, and cannot slow the server down). Each file is stored whole or not at all;
    per-file errors are listed in `files`. When every file fails, the status is that of the
    first error; when jobs are still running, 202 with their ids (`GET /jobs/{id}`)."""
    # The whole request is limited while it streams (api/limits.py); each file is, too.
    limit = liaison.settings.max_upload_bytes
    form = await request.form()
    if unknown := sorted(set(form) - set(UPLOAD_FIELDS)):
        raise InvalidInput(
            f"unknown form field {', '.join(unknown)}; accepted: {', '.join(UPLOAD_FIELDS)}"
        )
    options = JobOptions(title=title, day=date_, kind=kind)
    slots: list[FileResult | int] = []  # a refused file's result, or its job id
    for upload in files:
        name = upload.filename or "upload"
        try:
            data = await _read_limited(upload, limit)
        except IngestError as exc:
            slots.append(FileResult(source=name, error=str(exc), error_type=type(exc).__name__))
            continue
        job = await run_sync(liaison.jobs.submit, data, name, options, created_by=user.name)
        slots.append(job.id)
    job_ids = [s for s in slots if isinstance(s, int)]
    if wait == "false":
        timeout = 0.0
    elif wait == "true":
        timeout = liaison.settings.job_timeout_s + 60
    else:
        timeout = liaison.settings.upload_wait_s
    jobs = {j.id: j for j in await _wait_for(liaison, job_ids, timeout)}
    results = [s if isinstance(s, FileResult) else _file_result(jobs[s]) for s in slots]
    new_ids = [r.meeting_id for r in results if r.meeting_id and not r.duplicate_of and not r.error]
    body = UploadResult(meeting_ids=new_ids, files=results, job_ids=job_ids)
    if job_ids and (wait == "false" or not all(j.ended for j in jobs.values())):
        return JSONResponse(
            status_code=status.HTTP_202_ACCEPTED, content=body.model_dump(mode="json")
        )
    if results and all(r.error for r in results):
        code = status_for(results[0].error_type or "IngestError")
        return JSONResponse(
            status_code=code,
            content={
                "error": "IngestError",
                "detail": results[0].error,
                **body.model_dump(mode="json"),
            },
        )
    return body


def _file_result(job: Job) -> FileResult:
    """An upload's result for one file, from its job (as far as it has got)."""
    outcome = job.outcome
    if outcome is None:
        return FileResult(source=job.filename, job_id=job.id, state=job.state.value)
    return FileResult(
        source=job.filename,
        meeting_id=outcome.meeting.id if outcome.meeting else None,
        duplicate_of=outcome.duplicate_of,
        items=outcome.items,
        error=outcome.error,
        error_type=outcome.error_type,
        line=outcome.line,
        warnings=outcome.warnings,
        job_id=job.id,
        state=job.state.value,
    )


async def _wait_for(liaison, job_ids: list[int], timeout_s: float) -> list[Job]:
    """The jobs, once all have ended or `timeout_s` has passed (polling, without blocking the
    event loop: the work is in another process)."""
    deadline = time.monotonic() + timeout_s
    pause = 0.01  # small files end in a few tens of milliseconds: look often at first
    while True:
        jobs = await run_sync(liaison.jobs.get_many, job_ids)
        if all(j.ended for j in jobs) or time.monotonic() >= deadline:
            return jobs
        await asyncio.sleep(pause)
        pause = min(0.25, pause * 1.5)


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
    limit: Annotated[int, Query(ge=1, le=1000)] = 50,  # every listing: 1 to 1000
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


@router.get(
    "/meetings/{meeting_id}/words",
    response_model=MeetingWords,
    summary="Word times of a meeting transcribed from a recording",
    responses=error_responses(404),
)
def get_meeting_words(meeting_id: IdPath, liaison: LiaisonDep):
    words = liaison.meeting_words(meeting_id)
    return MeetingWords(
        meeting_id=meeting_id,
        turns=[TurnWords(turn_index=i, words=w) for i, w in sorted(words.items())],
    )


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
