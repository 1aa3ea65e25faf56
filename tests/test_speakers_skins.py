"""Speaker renames and aliases through the CLI (a real process) and the API (real tokens of
each role): the same core, the role rules of item corrections and of the people directory."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import api_client, draft
from tests.test_speakers import SYNC_A


@pytest.fixture
def run(home, tmp_path):
    env = {
        **os.environ,
        "LIAISON_HOME": str(home),
        "LIAISON_EMBEDDER": "hashing",
        "LIAISON_EXTRACTOR": "none",
        "COLUMNS": "200",
    }

    def _run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-c", "from assistant.cli import main; main()", *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )

    path = tmp_path / "sync-a.txt"
    path.write_bytes(SYNC_A)
    assert _run("ingest", str(path)).returncode == 0
    return _run


def test_cli_lists_renames_searches_and_undoes(run):
    listed = json.loads(run("speakers", "list", "1", "--json").stdout)
    assert [(s["name"], s["turns"]) for s in listed["speakers"]] == [
        ("DANA COLE", 2), ("Speaker 2", 2), ("Sam Ortiz", 1)]  # fmt: skip
    assert listed["unnamed"] == ["Speaker 2"]

    done = run("speakers", "rename", "1", "Speaker 2", "Raj Mehta")
    assert done.returncode == 0, done.stderr
    assert "Speaker 2 → Raj Mehta in 2 turn(s)" in done.stdout
    assert "liaison speakers undo 1" in done.stdout
    hits = json.loads(run("search", "SSO integration", "--speaker", "Raj Mehta", "--json").stdout)
    assert hits and all("Raj Mehta" in h["speakers"] for h in hits)
    shown = json.loads(run("show", "1", "--json").stdout)
    assert shown["meeting"]["attendees"] == ["DANA COLE", "Raj Mehta", "Sam Ortiz"]

    undo = run("speakers", "undo", "1")
    assert undo.returncode == 0 and "Raj Mehta is Speaker 2 again" in undo.stdout
    assert json.loads(run("search", "SSO", "--speaker", "Raj Mehta", "--json").stdout) == []
    again = run("speakers", "undo", "1")
    assert again.returncode == 1
    assert again.stderr.strip() == "error: meeting 1 has no speaker rename to undo"


def test_cli_refuses_bad_input_in_one_line(run):
    missing = run("speakers", "rename", "1", "Nobody", "Raj Mehta")
    assert missing.returncode == 1 and "no speaker 'Nobody'" in missing.stderr
    assert len(missing.stderr.strip().splitlines()) == 1
    turns = run("speakers", "rename", "1", "Speaker 2", "Raj", "--turns", "1-x")
    assert turns.returncode == 1 and "turns must be numbers or ranges" in turns.stderr
    gone = run("speakers", "list", "99")
    assert gone.returncode == 1 and "99" in gone.stderr


def test_cli_aliases(run):
    made = run("speakers", "alias", "DANA COLE", "Dana Cole", "--json")
    assert made.returncode == 0, made.stderr
    result = json.loads(made.stdout)
    assert result["alias"]["name"] == "Dana Cole"
    assert [r["meeting"]["id"] for r in result["renamed"]] == [1]
    listed = json.loads(run("speakers", "aliases", "--json").stdout)
    assert listed["total"] == 1 and listed["aliases"][0]["alias"] == "DANA COLE"
    assert run("speakers", "unalias", "DANA COLE").returncode == 0
    assert json.loads(run("speakers", "aliases", "--json").stdout)["total"] == 0
    assert run("speakers", "unalias", "DANA COLE").returncode == 1


@pytest.fixture
def stored(liaison, extractor):
    extractor.by_title["Sync A"] = [
        draft(
            "action",
            "Speaker 2: SSO integration live",
            1,
            "SSO integration live",
            owner="Speaker 2",
        ),  # fmt: skip
    ]
    meeting = liaison.ingest_bytes(SYNC_A, "sync-a.txt").meeting
    assert meeting is not None
    return liaison, meeting.id


def test_api_rename_and_undo_with_roles(settings, stored):
    liaison, mid = stored
    viewer = api_client(settings, liaison, "viewer")
    member = api_client(settings, liaison, "member")
    body = {"speaker": "Speaker 2", "name": "Raj Mehta"}

    listed = viewer.get(f"/meetings/{mid}/speakers")
    assert listed.status_code == 200 and listed.json()["unnamed"] == ["Speaker 2"]
    refused = viewer.post(f"/meetings/{mid}/speakers/rename", json=body)
    assert refused.status_code == 403 and "needs member" in refused.json()["detail"]
    assert viewer.post(f"/meetings/{mid}/speakers/undo").status_code == 403
    assert [t.speaker for t in liaison.meeting(mid).turns][1] == "Speaker 2"  # unchanged

    done = member.post(f"/meetings/{mid}/speakers/rename", json=body)
    assert done.status_code == 200, done.text
    out = done.json()
    assert out["turns"] == 2 and out["items"] == 1 and out["alias"] is None
    assert out["rename"]["author"] == "test-member"
    assert out["meeting"]["attendees"] == ["DANA COLE", "Raj Mehta", "Sam Ortiz"]
    item = viewer.get("/items", params={"owner": "Raj Mehta"}).json()["items"][0]
    history = viewer.get(f"/items/{item['id']}/history").json()
    history = history["events"] if isinstance(history, dict) else history  # a page, or a list
    assert history[0]["source"] == "rename" and history[0]["new_value"] == "Raj Mehta"
    hits = viewer.get("/search", params={"q": "SSO", "speaker": "Raj Mehta"}).json()["hits"]
    assert hits

    undone = member.post(f"/meetings/{mid}/speakers/undo")
    assert undone.status_code == 200 and undone.json()["undone"] is True
    assert viewer.get("/items", params={"owner": "Raj Mehta"}).json()["total"] == 0
    again = member.post(f"/meetings/{mid}/speakers/undo")
    assert again.status_code == 422 and again.json()["error"] == "InvalidInput"


def test_api_errors(settings, stored):
    liaison, mid = stored
    member = api_client(settings, liaison, "member")
    url = f"/meetings/{mid}/speakers/rename"
    r = member.post(url, json={"speaker": "Speaker 2", "name": "Raj", "nick": "R"})
    assert r.status_code == 422 and "accepted: speaker, name, turns, alias" in r.json()["detail"]
    r = member.post(url, json={"speaker": "Nobody", "name": "Raj"})
    assert r.status_code == 422 and "no speaker 'Nobody'" in r.json()["detail"]
    r = member.post(url, json={"speaker": "Speaker 2", "name": "Raj", "turns": [2**70]})
    assert r.status_code == 422
    r = member.post(url, json={"speaker": "Speaker 2", "name": "Raj", "turns": [0]})
    assert r.status_code == 422 and "turn(s) 0" in r.json()["detail"]
    assert member.post("/meetings/999/speakers/rename", json={"speaker": "a", "name": "b"}
                       ).status_code == 404  # fmt: skip
    assert member.get("/meetings/999/speakers").status_code == 404


def test_api_aliases_are_the_people_directory_s(settings, stored):
    liaison, mid = stored
    member = api_client(settings, liaison, "member")
    leader = api_client(settings, liaison, "leader")
    body = {"alias": "DANA COLE", "name": "Dana Cole"}
    assert member.post("/speakers/aliases", json=body).status_code == 403
    made = leader.post("/speakers/aliases", json=body)
    assert made.status_code == 200, made.text
    assert [r["meeting"]["id"] for r in made.json()["renamed"]] == [mid]
    page = member.get("/speakers/aliases").json()
    assert page["total"] == 1 and page["aliases"][0]["name"] == "Dana Cole"
    assert liaison.meeting(mid).meeting.attendees[0] == "Dana Cole"
    placeholder = {"alias": "Speaker 2", "name": "Raj Mehta"}
    assert leader.post("/speakers/aliases", json=placeholder).status_code == 422
    assert leader.delete("/speakers/aliases/DANA COLE").status_code == 200
    assert leader.delete("/speakers/aliases/DANA COLE").status_code == 404
