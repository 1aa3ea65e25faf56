"""The OpenAPI document is complete enough for a generated client: openapi-python-client
generates one from the live server's /openapi.json (into tmp_path, without a warning), and the
generated code lists, pages, corrects and reads back items against a real uvicorn server."""

from __future__ import annotations

import importlib
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import httpx
import pytest

from assistant.models import Team
from tests.browser import LiveServer, secured_app
from tests.conftest import draft

GENERATOR = Path(sys.executable).with_name("openapi-python-client")
TEXT = """Title: Launch sync
Date: 2026-10-06

Priya Shah: I'll have the consent banner live by October 20.
Raj Mehta: I can own the SSO review, done by next Friday.
Dana Whitfield: Let's park the budget split for now.
"""


@pytest.fixture
def generated(tmp_path, liaison, extractor):
    """A running server with a meeting of three items, and the client generated from it."""
    if not GENERATOR.exists():
        pytest.skip("needs openapi-python-client (pip install -e '.[dev]')")
    extractor.by_title["Launch sync"] = [
        draft("action", "Priya Shah: consent banner live", 0, "consent banner live",
              owner="Priya Shah", team=Team.marketing, due=date(2026, 10, 20)),
        draft("action", "Raj Mehta: SSO review", 1, "I can own the SSO review", owner="Raj Mehta"),
        draft("parking", "Budget split", 2, "park the budget split"),
    ]  # fmt: skip
    assert liaison.ingest_bytes(TEXT.encode(), "launch.txt").meeting
    app, auth = secured_app(liaison)
    token = auth.create_token("admin")[0]
    with LiveServer(app) as server:
        spec = tmp_path / "openapi.json"
        r = httpx.get(server.url + "/openapi.json", headers={"Authorization": f"Bearer {token}"})
        spec.write_bytes(r.content)
        out = tmp_path / "liaison_client"
        # The generator formats its output with ruff, found on PATH (the venv's).
        env = {"PATH": f"{GENERATOR.parent}:/usr/bin:/bin", "HOME": str(tmp_path)}
        done = subprocess.run(
            [str(GENERATOR), "generate", "--path", str(spec), "--output-path", str(out)]
            + ["--meta", "none"],
            capture_output=True,
            text=True,
            timeout=240,
            env=env,
            cwd=tmp_path,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        # A schema the generator cannot read is dropped with a warning: none may be.
        assert "Warning" not in done.stdout + done.stderr, done.stdout + done.stderr
        sys.path.insert(0, str(tmp_path))
        try:
            yield importlib.import_module("liaison_client"), server.url, token
        finally:
            sys.path.remove(str(tmp_path))
            for name in [m for m in sys.modules if m.split(".")[0] == "liaison_client"]:
                del sys.modules[name]
            shutil.rmtree(out, ignore_errors=True)


def test_a_generated_client_calls_the_api(generated):
    package, url, token = generated
    items_api = importlib.import_module("liaison_client.api.items.list_items_items_get")
    patch_api = importlib.import_module("liaison_client.api.items.patch_item_items_item_id_patch")
    history_api = importlib.import_module(
        "liaison_client.api.items.item_history_items_item_id_history_get"
    )
    meetings_api = importlib.import_module("liaison_client.api.meetings.list_meetings_meetings_get")
    models = importlib.import_module("liaison_client.models")

    client = package.AuthenticatedClient(base_url=url, token=token, raise_on_unexpected_status=True)
    with client:
        meetings = meetings_api.sync(client=client)
        assert isinstance(meetings, models.MeetingPage)
        assert meetings.total == 1 and meetings.meetings[0].title == "Launch sync"

        # A filtered listing, one page at a time: typed models, enums and dates.
        first = items_api.sync(client=client, kind=models.ItemKind.ACTION, limit=1)
        second = items_api.sync(client=client, kind=models.ItemKind.ACTION, limit=1, offset=1)
        assert isinstance(first, models.ItemPage) and first.total == 2
        actions = first.items + second.items
        assert {a.owner for a in actions} == {"Priya Shah", "Raj Mehta"}
        banner = next(a for a in actions if a.owner == "Priya Shah")
        assert banner.due == date(2026, 10, 20) and banner.team == models.Team.MARKETING

        # A correction with a typed body, and the answer parsed back.
        fixed = patch_api.sync(
            banner.id, client=client, body=models.ItemPatch(owner="Sam Ortiz", status="done")
        )
        assert isinstance(fixed, models.Item)
        assert (fixed.owner, fixed.status) == ("Sam Ortiz", "done")
        assert set(fixed.edited_fields) == {"owner", "status"}

        history = history_api.sync(banner.id, client=client)
        assert isinstance(history, models.ItemHistoryPage) and history.total == 2
        assert {(e.field, e.new_value) for e in history.events} == {
            ("owner", "Sam Ortiz"),
            ("status", "done"),
        }

        # Errors are documented too: a wrong value comes back as the error body, typed.
        refused = patch_api.sync_detailed(
            banner.id, client=client, body=models.ItemPatch(status="finished")
        )
        assert refused.status_code == 422
        assert isinstance(refused.parsed, models.ErrorBody)
        assert "status of an action must be one of" in refused.parsed.detail
