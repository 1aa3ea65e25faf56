"""Upload jobs: POST /meetings answers with job ids, GET /jobs/{id} follows them, and jobs
survive a restart (queued work resumes; work whose worker died is tried once more, then failed
with a reason). These run the jobs in a thread of the test's server (its Liaison holds parts
made in code); tests/test_upload_isolation.py runs them in real worker processes."""

from __future__ import annotations

import subprocess
import sys

import pytest

from assistant.jobs import JobOptions, JobQueue
from assistant.jobs.types import STAGES, fraction
from assistant.store import jobs as job_store
from tests.conftest import FIXTURES, api_client

T = FIXTURES / "transcripts"


def upload(client, *names, **form):
    files = [("files", (n, (T / n).read_bytes())) for n in names]
    return client.post("/meetings", files=files, data=form)


def follow(client, job_id: int, tries: int = 600) -> dict:
    """GET /jobs/{id} until the job has ended (each poll waits on the runner, not a clock)."""
    import time

    for _ in range(tries):
        job = client.get(f"/jobs/{job_id}").json()
        if job["state"] in ("done", "failed"):
            return job
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} did not end: {job}")


def test_upload_without_waiting_answers_202_with_jobs_that_end_in_meetings(client):
    r = upload(client, "zoom.vtt", "empty.txt", wait="false")
    assert r.status_code == 202
    body = r.json()
    assert len(body["job_ids"]) == 2
    # Not waiting means not waiting: a small file may still end before the answer is built,
    # and then (only then) its meeting is listed.
    ended = [f["meeting_id"] for f in body["files"] if f["state"] == "done" and f["meeting_id"]]
    assert body["meeting_ids"] == ended
    assert [f["job_id"] for f in body["files"]] == body["job_ids"]
    stored, refused = (follow(client, j) for j in body["job_ids"])
    assert stored["state"] == "done" and stored["progress"] == 1.0
    meeting = stored["outcome"]["meeting"]
    assert client.get(f"/meetings/{meeting['id']}").json()["meeting"]["title"] == meeting["title"]
    assert refused["state"] == "failed"
    assert refused["outcome"]["error_type"] == "EmptyTranscript"
    assert "empty.txt" in refused["error"]


def test_upload_that_ends_in_time_answers_201_with_results_and_jobs(client):
    r = upload(client, "zoom.vtt", title="CDP sync")
    assert r.status_code == 201
    body = r.json()
    assert body["files"][0]["state"] == "done" and body["files"][0]["job_id"] == body["job_ids"][0]
    job = client.get(f"/jobs/{body['job_ids'][0]}").json()
    assert job["outcome"]["meeting"]["id"] == body["meeting_ids"][0]
    assert job["options"]["title"] == "CDP sync" and job["created_by"] == "admin"


def test_waiting_upload_of_bad_file_keeps_its_status_code(client):
    r = upload(client, "binary.bin", wait="true")
    assert r.status_code == 415 and "binary.bin" in r.json()["detail"]
    assert r.json()["files"][0]["state"] == "failed"


def test_wait_must_be_true_or_false(client):
    r = upload(client, "zoom.vtt", wait="soon")
    assert r.status_code == 422
    assert client.get("/jobs").json()["total"] == 0  # refused before any job was made


def test_jobs_are_listed_newest_first_with_total_and_404_for_unknown(client):
    ids = [upload(client, n, wait="true").json()["job_ids"][0] for n in ("zoom.vtt", "teams.vtt")]
    page = client.get("/jobs", params={"limit": 1}).json()
    assert page["total"] == 2 and [j["id"] for j in page["jobs"]] == [ids[1]]
    assert client.get("/jobs", params={"limit": 1, "offset": 1}).json()["jobs"][0]["id"] == ids[0]
    assert client.get("/jobs", params={"state": "done"}).json()["total"] == 2
    r = client.get("/jobs/999")
    assert r.status_code == 404 and r.json()["error"] == "JobNotFound"


def test_viewer_reads_jobs_but_cannot_upload(settings, liaison):
    with api_client(settings, liaison, role="viewer") as viewer:
        assert viewer.get("/jobs").status_code == 200
        assert upload(viewer, "zoom.vtt").status_code == 403


def test_uploaded_bytes_are_kept_until_the_job_ends(liaison):
    queue = liaison.jobs
    job = queue.submit((T / "zoom.vtt").read_bytes(), "zoom.vtt", start=False)
    kept = list(queue.folder.iterdir())
    assert len(kept) == 1 and kept[0].read_bytes() == (T / "zoom.vtt").read_bytes()
    queue.start()
    assert queue.wait([job.id], 60)[0].state == "done"
    assert list(queue.folder.iterdir()) == []
    queue.stop()


def test_queued_jobs_resume_when_the_server_starts(settings, liaison):
    job = liaison.jobs.submit((T / "zoom.vtt").read_bytes(), "zoom.vtt", start=False)
    assert liaison.jobs.get(job.id).state == "queued"
    with api_client(settings, liaison) as client:  # the app's start-up starts the runner
        done = follow(client, job.id)
    assert done["state"] == "done" and done["outcome"]["meeting"]["id"]


def _dead_worker() -> str:
    """The signature of a worker process that no longer runs."""
    import socket

    proc = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    return f"{proc.stdout.strip()}@{socket.gethostname()}"


def test_a_job_whose_worker_died_is_run_again_once_and_stored_once(liaison):
    queue = liaison.jobs
    job = queue.submit((T / "zoom.vtt").read_bytes(), "zoom.vtt", start=False)
    with liaison.db.transaction() as tx:
        assert job_store.claim(tx, _dead_worker()).id == job.id  # then the "server" died
    queue.start()  # restart: recovery queues it again
    ended = queue.wait([job.id], 60)[0]
    assert ended.state == "done" and ended.attempts == 2
    assert liaison.meetings()[1] == 1
    queue.stop()


def test_a_job_whose_worker_died_twice_fails_with_a_reason(liaison):
    queue = liaison.jobs
    job = queue.submit((T / "zoom.vtt").read_bytes(), "zoom.vtt", start=False)
    for _ in range(2):
        with liaison.db.transaction() as tx:
            job_store.claim(tx, _dead_worker())
        if _ == 0:
            with liaison.db.transaction() as tx:
                job_store.requeue(tx, job.id)
    JobQueue(liaison).recover()
    ended = queue.get(job.id)
    assert ended.state == "failed" and "twice" in ended.error
    assert ended.outcome.error_type == "WorkerFailed"
    assert liaison.meetings()[1] == 0 and list(queue.folder.iterdir()) == []


def test_only_one_worker_claims_a_job(liaison, tmp_path):
    from assistant.store import Database

    liaison.jobs.submit((T / "zoom.vtt").read_bytes(), "zoom.vtt", start=False)
    other = Database(liaison.settings.db_path)  # another process's connection
    with other.transaction() as tx:
        first = job_store.claim(tx, "1@a")
    with liaison.db.transaction() as tx:
        second = job_store.claim(tx, "2@b")
    assert first is not None and second is None


@pytest.mark.parametrize("recording", [False, True])
def test_progress_grows_through_the_stages_to_one(recording):
    names = [s for s in STAGES if recording or s != "transcribe"]
    steps = [fraction(s, d, 4, recording=recording) for s in names for d in range(5)]
    assert steps == sorted(steps) and steps[0] == 0.0 and steps[-1] == 1.0


def test_job_options_reach_the_meeting(liaison):
    from datetime import date

    queue = liaison.jobs
    opts = JobOptions(title="Board prep", day=date(2026, 11, 2))
    job = queue.submit((T / "zoom.vtt").read_bytes(), "zoom.vtt", opts)
    ended = queue.wait([job.id], 60)[0]
    meeting = liaison.meeting(ended.outcome.meeting.id).meeting
    assert (meeting.title, meeting.date) == ("Board prep", date(2026, 11, 2))
    queue.stop()


def _cli(home, *args: str) -> subprocess.CompletedProcess:
    import os

    env = {**os.environ, "LIAISON_HOME": str(home), "LIAISON_EMBEDDER": "hashing",
           "LIAISON_EXTRACTOR": "none", "COLUMNS": "200"}  # fmt: skip
    return subprocess.run([sys.executable, "-c", "from assistant.cli import main; main()", *args],
                          capture_output=True, text=True, env=env, timeout=120)  # fmt: skip


def test_the_cli_lists_jobs_with_their_state_and_refuses_an_unknown_state(liaison, home):
    import json

    queue = liaison.jobs
    done = queue.submit((T / "zoom.vtt").read_bytes(), "zoom.vtt", created_by="priya")
    queue.wait([done.id], 60)
    queue.stop()
    queue.submit((T / "teams.vtt").read_bytes(), "teams.vtt", start=False)
    listed = json.loads(_cli(home, "jobs", "--json").stdout)
    assert listed["total"] == 2
    assert [(j["filename"], j["state"]) for j in listed["jobs"]] == [
        ("teams.vtt", "queued"),
        ("zoom.vtt", "done"),
    ]
    table = _cli(home, "jobs", "--state", "done").stdout
    assert "zoom.vtt" in table and "teams.vtt" not in table and "priya" in table
    bad = _cli(home, "jobs", "--state", "lost")
    assert bad.returncode != 0 and "queued, running, done, failed" in bad.stderr
