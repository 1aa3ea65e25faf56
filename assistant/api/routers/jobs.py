"""Upload jobs: where each uploaded file is on its way to becoming a meeting."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from assistant.api.contract import IdPath, Offset
from assistant.api.deps import LiaisonDep
from assistant.api.errors import error_responses
from assistant.api.schemas_jobs import JobPage
from assistant.jobs.types import Job, JobState

router = APIRouter(tags=["jobs"])


@router.get(
    "/jobs/{job_id}",
    response_model=Job,
    summary="One upload job: state, progress, and the file's outcome once it has ended",
    responses=error_responses(404),
)
def get_job(job_id: IdPath, liaison: LiaisonDep):
    """`state` is queued, running, done (the file went in, or was already stored) or failed
    (`error` says why; `outcome` has `error_type`, `line` and `warnings` as an upload
    result does). `progress` goes from 0 to 1 over transcription (recordings), reading,
    embedding, extraction and storing; `stage`, `done` and `total` say where it is."""
    return liaison.jobs.get(job_id)


@router.get("/jobs", response_model=JobPage, summary="Upload jobs, newest first")
def list_jobs(
    liaison: LiaisonDep,
    state: JobState | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Offset = 0,
):
    found, total = liaison.jobs.list_jobs(state, limit, offset)
    return JobPage(total=total, limit=limit, offset=offset, jobs=found)
