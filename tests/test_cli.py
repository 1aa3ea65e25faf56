"""The `liaison` command as a user runs it: a real process, real files, exit codes, JSON."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import FIXTURES, SAMPLES

T = FIXTURES / "transcripts"


@pytest.fixture
def run(home):
    env = {
        **os.environ,
        "LIAISON_HOME": str(home),
        "LIAISON_EMBEDDER": "hashing",
        "LIAISON_EXTRACTOR": "none",
        "COLUMNS": "200",
    }

    def _run(*args: str, input: str | None = None) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-c", "from assistant.cli import main; main()", *args],
            capture_output=True,
            text=True,
            env=env,
            input=input,
            timeout=120,
        )

    return _run


def test_ingest_list_show_search_delete_roundtrip(run, tmp_path):
    r = run("ingest", str(T / "zoom.vtt"), str(T / "teams.vtt"), "--json")
    assert r.returncode == 0, r.stderr
    outcomes = json.loads(r.stdout)
    ids = [o["meeting"]["id"] for o in outcomes]
    assert len(ids) == 2 and all(o["error"] is None for o in outcomes)

    listing = json.loads(run("meetings", "--json").stdout)
    assert listing["total"] == 2
    assert {m["id"] for m in listing["meetings"]} == set(ids)

    shown = json.loads(run("show", str(ids[0]), "--json").stdout)
    assert shown["meeting"]["id"] == ids[0] and shown["turns"]

    word = shown["turns"][0]["text"].split()[-1].strip(".,?!")
    hits = json.loads(run("search", word, "--json", "-k", "3").stdout)
    assert hits
    for key in (
        "meeting_id",
        "title",
        "date",
        "turn_start",
        "turn_end",
        "start_s",
        "end_s",
        "speakers",
        "text",
        "score",
    ):
        assert key in hits[0]

    assert run("delete", str(ids[0]), "--yes").returncode == 0
    assert json.loads(run("meetings", "--json").stdout)["total"] == 1


def test_bad_file_gives_one_line_error_and_others_go_in(run):
    r = run("ingest", str(T / "binary.bin"), str(T / "zoom.vtt"))
    assert r.returncode == 1
    assert "binary.bin" in r.stderr and "Traceback" not in r.stderr
    assert json.loads(run("meetings", "--json").stdout)["total"] == 1


def test_errors_are_one_line_without_traceback(run):
    for args in (["show", "999"], ["search", "x", "--since", "yesterday-ish"], ["ingest", "/nope"]):
        r = run(*args)
        assert r.returncode != 0
        assert "Traceback" not in r.stderr
        assert len(r.stderr.strip().splitlines()) == 1, r.stderr


def test_bad_setting_is_explained(run, home):
    r = subprocess.run(
        [sys.executable, "-c", "from assistant.cli import main; main()", "meetings"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "LIAISON_HOME": str(home), "LIAISON_DEFAULT_TIMEZONE": "Mars/Olympus"},
    )
    assert r.returncode == 1
    assert "LIAISON_DEFAULT_TIMEZONE" in r.stderr and "Traceback" not in r.stderr


def test_goals_import_and_items_listing(run):
    r = run("goals", "import", str(SAMPLES / "goals.yaml"))
    assert r.returncode == 0, r.stderr
    goals = json.loads(run("goals", "list", "--json").stdout)
    assert {"cdp-live"} <= {g["id"] for g in goals}
    assert json.loads(run("items", "--json").stdout)["total"] == 0
    bad = run("goals", "import", str(T / "zoom.vtt"))
    assert bad.returncode == 1 and "goal" in bad.stderr.lower() and "Traceback" not in bad.stderr


def test_every_command_has_help(run):
    from typer.main import get_command

    from assistant.cli.common import app

    group = get_command(app)
    for name, command in group.commands.items():
        assert command.help, f"`liaison {name}` has no help text"
        sub = getattr(command, "commands", {})
        for sub_name, sub_command in sub.items():
            assert sub_command.help, f"`liaison {name} {sub_name}` has no help text"
    r = run("--help")
    assert r.returncode == 0 and "ingest" in r.stdout


def test_usage_mistakes_are_usage_errors_not_internal_errors(run):
    # Typer vendors its own Click: its usage errors must still read as usage errors (exit 2).
    for args in (
        ["show", "abc"],
        ["search"],
        ["nosuchcmd"],
        ["ingest", str(T / "zoom.vtt"), "--kind", "bogus"],
    ):
        r = run(*args)
        assert r.returncode == 2, r.stderr
        assert "internal error" not in r.stderr and "Traceback" not in r.stderr
        assert "Error:" in r.stderr


def test_broken_yaml_is_one_line_naming_where(run, tmp_path):
    bad = tmp_path / "goals.yaml"
    bad.write_text("goals:\n  - id: x\n    title: [unclosed\n")
    r = run("goals", "import", str(bad))
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert "not valid YAML" in r.stderr and "line 4" in r.stderr


def test_data_folder_that_cannot_be_made_is_explained(run, home, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    r = subprocess.run(
        [sys.executable, "-c", "from assistant.cli import main; main()", "meetings"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "LIAISON_HOME": str(blocker / "home"), "COLUMNS": "200"},
    )
    assert r.returncode == 1, r.stderr
    assert "LIAISON_HOME" in r.stderr and "internal error" not in r.stderr
