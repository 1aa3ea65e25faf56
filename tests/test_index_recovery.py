"""The FAISS file is derived data: missing, truncated or damaged, it is rebuilt from SQLite with a
log line, and /health, search, ask and uploads keep working (between requests, and after
another process — the CLI — changed the index)."""

from __future__ import annotations

import logging
import shutil

import pytest

from assistant.embed import HashingEmbedder
from assistant.service import Liaison
from tests.conftest import FIXTURES, SAMPLES, ScriptedExtractor, api_client

T = FIXTURES / "transcripts"


def damage(path, how: str) -> None:
    if how == "truncate":
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 3])
    elif how == "garbage":
        size = path.stat().st_size
        path.write_bytes((b"\x00garbage" * (size // 8 + 1))[:size])  # same size, other bytes
    elif how == "empty":
        path.write_bytes(b"")
    elif how == "missing":
        path.unlink()


def cli_process(settings) -> Liaison:
    """Another process on the same data folder, as `liaison ingest` would be."""
    return Liaison(settings, embedder=HashingEmbedder(), extractor=ScriptedExtractor())


def upload(client, name: str):
    return client.post("/meetings", files=[("files", (name, (T / name).read_bytes()))])


def everything_works(client, word: str) -> None:
    health = client.get("/health")
    assert health.status_code == 200 and health.json()["chunks"] > 0
    hits = client.get("/search", params={"q": word}).json()["hits"]
    assert hits, "search found nothing after the rebuild"
    answer = client.post("/ask", json={"question": f"what was said about {word}?"})
    assert answer.status_code == 200, answer.text
    assert upload(client, "teams.vtt").status_code == 201


@pytest.mark.parametrize("how", ["truncate", "garbage", "empty", "missing"])
def test_damaged_index_after_another_process_wrote_it(settings, liaison, how, caplog):
    with api_client(settings, liaison) as client:
        assert upload(client, "zoom.vtt").status_code == 201
        other = cli_process(settings)
        other.ingest_path(SAMPLES / "2026-10-06-weekly-sync.vtt")  # bumps the generation
        other.db.close()
        damage(settings.index_path, how)
        with caplog.at_level(logging.WARNING, logger="assistant.index_sync"):
            everything_works(client, "CDP")
        assert any("rebuilding it from the database" in r.message for r in caplog.records)
        hits = client.get("/search", params={"q": "CDP"}).json()["hits"]
        assert "2026-10-06" in {h["date"] for h in hits}  # what the other process stored


@pytest.mark.parametrize("how", ["truncate", "missing"])
def test_a_server_starting_on_a_damaged_index(settings, liaison, how, caplog):
    liaison.ingest_path(SAMPLES / "2026-10-06-weekly-sync.vtt")
    liaison.db.close()
    damage(settings.index_path, how)
    restarted = cli_process(settings)
    with (
        caplog.at_level(logging.WARNING, logger="assistant.index_sync"),
        api_client(settings, restarted) as client,
    ):
        everything_works(client, "CDP")
    assert "rebuilding" in caplog.text
    restarted.db.close()


def test_truncated_between_requests_of_one_server(settings, liaison):
    with api_client(settings, liaison) as client:
        assert upload(client, "zoom.vtt").status_code == 201
        damage(settings.index_path, "truncate")
        everything_works(client, "CDP")
        # The upload rewrote the file whole: another process loads it as it is.
        other = cli_process(settings)
        assert len(other.index()) == other.stats()["chunks"]
        other.db.close()


def test_an_index_that_cannot_be_written_does_not_fail_the_upload(settings, liaison, caplog):
    with api_client(settings, liaison) as client:
        assert upload(client, "zoom.vtt").status_code == 201
        settings.index_path.unlink()
        settings.index_path.mkdir()  # the file's place is taken: every write fails
        with caplog.at_level(logging.WARNING, logger="assistant.index_sync"):
            assert upload(client, "teams.vtt").status_code == 201
        assert "could not write the vector index" in caplog.text
        assert client.get("/search", params={"q": "CDP"}).status_code == 200
        assert client.get("/health").status_code == 200
        shutil.rmtree(settings.index_path)
