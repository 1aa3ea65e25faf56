"""Uploads are ingested in worker processes, not in the server's interpreter: a file that
kills its worker, or runs past the time limit, fails its job with a reason, and the server (its
/health, its search, the next upload) goes on. Real processes, a real transcription server."""

from __future__ import annotations

import os
import signal
import time

import pytest

from assistant.config import Settings
from tests.conftest import FIXTURES
from tests.transcribe_server import FakeTranscriber, Reply

T = FIXTURES / "transcripts"
# A WAV header: a recording by its first bytes (the fake service does not decode it).
WAV = b"RIFF\x24\x00\x00\x00WAVEfmt " + bytes(64)


def server(settings: Settings):
    """The real app built from settings alone, as `liaison serve` builds it: worker processes."""
    from fastapi.testclient import TestClient

    from assistant.api.app import create_app

    app = create_app(settings)
    client = TestClient(app)
    token = app.state.auth.create_token("admin")[0]
    client.headers["Authorization"] = "Bearer " + token
    return client


def wait_until(check, what: str, tries: int = 1200):
    for _ in range(tries):
        value = check()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"never happened: {what}")


def worker_of(client, job_id: int) -> int | None:
    row = (
        client.app.state.liaison.db.connect()
        .execute("SELECT worker FROM jobs WHERE id = ? AND state = 'running'", (job_id,))
        .fetchone()
    )
    return int(row[0].split("@")[0]) if row and row[0] else None


def state(client, job_id: int) -> dict:
    return client.get(f"/jobs/{job_id}").json()


@pytest.fixture
def worker_settings(settings) -> Settings:
    return settings.model_copy(update={"job_workers": 1, "extractor": "none"})


def test_an_upload_is_ingested_in_another_process(worker_settings):
    with server(worker_settings) as client:
        files = [("files", ("zoom.vtt", (T / "zoom.vtt").read_bytes()))]
        r = client.post("/meetings", files=files, data={"wait": "true"})
        assert r.status_code == 201, r.text
        job_id = r.json()["job_ids"][0]
        row = (
            client.app.state.liaison.db.connect()
            .execute("SELECT worker FROM jobs WHERE id = ?", (job_id,))
            .fetchone()
        )
        assert int(row[0].split("@")[0]) != os.getpid()
        hits = client.get("/search", params={"q": "CDP"}).json()["hits"]
        assert hits and hits[0]["meeting_id"] == r.json()["meeting_ids"][0]


def test_a_killed_worker_fails_its_job_and_the_server_goes_on(worker_settings):
    with FakeTranscriber() as fake:
        fake.queue(Reply(delay_s=120))  # the worker is held inside the transcription
        conf = worker_settings.model_copy(update={"transcribe_base_url": fake.base_url})
        with server(conf) as client:
            r = client.post(
                "/meetings", files=[("files", ("call.wav", WAV))], data={"wait": "false"}
            )
            assert r.status_code == 202
            job_id = r.json()["job_ids"][0]
            pid = wait_until(lambda: worker_of(client, job_id), "the worker takes the job")
            assert client.get("/health").status_code == 200  # while the worker is busy
            assert client.get("/search", params={"q": "budget"}).status_code == 200
            os.kill(pid, signal.SIGKILL)
            failed = wait_until(
                lambda: (j := state(client, job_id))["state"] == "failed" and j, "job failed"
            )
            assert "SIGKILL" in failed["error"] and "call.wav" in failed["error"]
            assert failed["outcome"]["error_type"] == "WorkerFailed"
            assert client.get("/meetings").json()["total"] == 0  # nothing half-stored
            files = [("files", ("zoom.vtt", (T / "zoom.vtt").read_bytes()))]
            again = client.post("/meetings", files=files, data={"wait": "true"})
            assert again.status_code == 201, again.text  # a new worker took over


def test_a_job_past_its_time_limit_is_stopped_with_a_reason(worker_settings):
    with FakeTranscriber() as fake:
        fake.queue(Reply(delay_s=120))
        conf = worker_settings.model_copy(
            update={"transcribe_base_url": fake.base_url, "job_timeout_s": 1.0}
        )
        with server(conf) as client:
            r = client.post(
                "/meetings", files=[("files", ("call.wav", WAV))], data={"wait": "false"}
            )
            job_id = r.json()["job_ids"][0]
            failed = wait_until(
                lambda: (j := state(client, job_id))["state"] == "failed" and j, "job failed"
            )
            assert "longer than the 1 s" in failed["error"] and "call.wav" in failed["error"]
            assert failed["outcome"]["error_type"] == "WorkerFailed"
            assert client.get("/meetings").json()["total"] == 0


def test_a_transcript_read_by_the_worker_keeps_its_warnings_and_errors(worker_settings):
    with server(worker_settings) as client:
        files = [
            (
                "files",
                ("teams_classic_bad_cue.vtt", (T / "teams_classic_bad_cue.vtt").read_bytes()),
            ),
            ("files", ("empty.txt", (T / "empty.txt").read_bytes())),
        ]
        r = client.post("/meetings", files=files, data={"wait": "true"})
        assert r.status_code == 201
        kept, refused = r.json()["files"]
        assert kept["meeting_id"] and any("skipped" in w for w in kept["warnings"])
        assert refused["error_type"] == "EmptyTranscript"
