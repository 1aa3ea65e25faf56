"""Schemathesis over the whole OpenAPI document, against a real uvicorn server holding the sample
meetings, goals, people, items and a recipient: every operation, a fixed seed, a bounded number
of cases. It fails on any 5xx, any answer that does not match the document (status, body,
headers, content type), any invalid request accepted, a wrong 405 or OPTIONS answer, and
auth that is ignored.

Not checked: `positive_data_acceptance` (a request the schema allows may still be refused for
what it means — a `since` after its `until`, an undo with nothing to undo, a file that is no
transcript: those 422/404/415 answers are the contract).

    SCHEMATHESIS_MAX_TIME=600 pytest tests/test_api_schema.py -s   # a longer run, with figures
    (SCHEMATHESIS_SEED=N for another seed)
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from assistant.digest.types import RecipientIn
from assistant.embed import HashingEmbedder
from assistant.service import Liaison
from tests.ask_script import SCRIPT, DatedExtractor, ingest_samples
from tests.browser import LiveServer, free_port, secured_app
from tests.conftest import SAMPLES

SEED = 2026
MAX_EXAMPLES = 25  # per operation and phase: about a minute in all
EXCLUDED = "positive_data_acceptance"


def test_schemathesis_finds_no_server_error_and_no_schema_violation(settings, tmp_path):
    settings.smtp_host, settings.smtp_port, settings.smtp_timeout_s = "127.0.0.1", free_port(), 2
    liaison = Liaison(settings, embedder=HashingEmbedder(), extractor=DatedExtractor(SCRIPT))
    ingest_samples(liaison)
    liaison.import_people((SAMPLES / "people.yaml").read_text())
    liaison.digests.add_recipient(
        RecipientIn(name="Board Pack", email="board@bl.example", role="cio", channel="folder")
    )
    app, auth = secured_app(liaison)
    token = auth.create_token("admin")[0]
    longer = os.environ.get("SCHEMATHESIS_MAX_TIME")
    budget = ["--max-time", longer] if longer else ["--max-examples", str(MAX_EXAMPLES)]
    with LiveServer(app) as server:
        run = subprocess.run(
            [
                sys.executable,
                "-m",
                "schemathesis.cli",
                "run",
                f"{server.url}/openapi.json",
                "--header",
                f"Authorization: Bearer {token}",
                "--checks",
                "all",
                "--exclude-checks",
                EXCLUDED,
                "--seed",
                os.environ.get("SCHEMATHESIS_SEED", str(SEED)),
                *budget,
                "--workers",
                "1",
                "--request-timeout",
                "60",
                "--no-color",
                "--report",
                "junit",
                "--report-dir",
                str(tmp_path),
            ],
            capture_output=True,
            text=True,
            cwd=tmp_path,  # schemathesis keeps a cache folder where it runs
            timeout=int(longer) * 2 + 300 if longer else 600,
            env={**os.environ, "NO_COLOR": "1"},
        )
    liaison.db.close()
    summary = run.stdout[run.stdout.find("SUMMARY") :] if "SUMMARY" in run.stdout else run.stdout
    if longer:
        print(summary)
    if run.returncode != 0:
        pytest.fail(f"schemathesis failed (exit {run.returncode}):\n{run.stdout[-12000:]}")
    selected = re.search(r"Selected: (\d+)/(\d+)", summary)
    assert selected and selected[1] == selected[2], "not every operation was selected"
    assert f"Tested: {selected[2]}" in summary, summary
