"""KPI values that cannot be shown as progress (NaN, infinities, a ratio that overflows) are
refused at every way in, and a page or digest never fails on a value stored before that rule."""

from __future__ import annotations

import json
import re

import pytest

from assistant.errors import InvalidInput
from assistant.goals import kpi_percent
from tests.browser import secured_app
from tests.conftest import SAMPLES

BAD_KPIS = [
    ({"target": "NaN", "current": 3}, "finite"),
    ({"target": 90, "current": "Infinity"}, "finite"),
    ({"target": "-Infinity", "current": 1}, "finite"),
    ({"target": 1e-300, "current": 1e300}, "too far apart"),
]


def _goal_json(kpi: dict) -> str:
    """A goal body as a client may send it: Python's json (and FastAPI) read NaN/Infinity."""
    values = ", ".join(f'"{k}": {v}' for k, v in kpi.items())
    return (
        '{"id": "g1", "title": "Profiles", "kpis": [{"name": "Unified profiles", "unit": "%", '
        + values
        + "}]}"
    )


@pytest.mark.parametrize("kpi, message", BAD_KPIS)
def test_api_refuses_kpis_that_cannot_be_compared(client, kpi, message):
    headers = {"content-type": "application/json"}
    r = client.post("/goals", content=_goal_json(kpi), headers=headers)
    assert r.status_code == 422, r.text
    assert r.json()["error"] == "InvalidInput" and message in r.json()["detail"]
    assert client.get("/goals").json()["goals"] == []

    good = _goal_json({"target": 90, "current": 35})
    assert client.post("/goals", content=good, headers=headers).status_code == 201
    patch = json.dumps({"kpis": [{"name": "Unified profiles", **kpi}]})
    patch = patch.replace('"NaN"', "NaN").replace('"Infinity"', "Infinity")
    patch = patch.replace('"-Infinity"', "-Infinity")
    r = client.patch("/goals/g1", content=patch, headers=headers)
    assert r.status_code == 422 and message in r.json()["detail"], r.text
    assert client.get("/goals/g1").json()["kpis"][0]["current"] == 35


@pytest.mark.parametrize(
    "values, message",
    [("target: .nan, current: 3", "finite"), ("target: 1.0e-300, current: 1.0e+300", "too far")],
)
def test_yaml_import_refuses_them_and_changes_nothing(liaison, values, message):
    text = f"goals:\n  - {{id: g1, title: T, kpis: [{{name: K, {values}}}]}}\n"
    with pytest.raises(InvalidInput, match=message):
        liaison.import_goals(text)
    assert liaison.goals() == []


def test_the_kpi_form_refuses_them_with_a_message(liaison):
    liaison.import_goals((SAMPLES / "goals.yaml").read_text())
    app, _ = secured_app(liaison)
    from fastapi.testclient import TestClient

    browser = TestClient(app, follow_redirects=False)
    browser.post("/login", data={"username": "admin", "password": "admin-password-for-tests"})
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', browser.get("/app/settings").text)[1]
    for value in ("nan", "inf", "-1e999"):
        r = browser.post(
            "/app/settings/goals/cdp-live/kpis", data={"current_0": value, "csrf_token": csrf}
        )
        assert r.status_code == 303 and "error=" in r.headers["location"], value
        assert "finite" in browser.get(r.headers["location"]).text
    assert liaison.goal("cdp-live").kpis[0].current == 35


def test_pages_and_digests_show_values_stored_before_the_rule(liaison, settings):
    """Goals written by an older version (or by hand in SQLite) with NaN, inf or overflowing
    ratios: the home page, the digest preview and a digest delivery all still work."""
    from assistant.digest.types import RecipientIn

    liaison.import_goals((SAMPLES / "goals.yaml").read_text())
    bad = [
        {"name": "NaN target", "unit": "%", "target": float("nan"), "current": 3.0},
        {"name": "Infinite", "unit": "days", "target": 10.0, "current": float("inf")},
        {"name": "Overflow", "unit": "%", "target": 1e-300, "current": 1e300},
        {"name": "Huge", "unit": "%", "target": 1.0, "current": 1e307},
    ]
    with liaison.db.transaction() as tx:
        tx.execute("UPDATE goals SET kpis = ? WHERE id = 'cdp-live'", (json.dumps(bad),))
    goal = liaison.goal("cdp-live")
    assert [k.current for k in goal.kpis][:3] == [3.0, None, None] and goal.kpis[0].target is None

    app, _ = secured_app(liaison)
    from fastapi.testclient import TestClient

    browser = TestClient(app)
    browser.post("/login", data={"username": "admin", "password": "admin-password-for-tests"})
    home = browser.get("/app/")
    assert home.status_code == 200 and "Overflow" in home.text
    preview = liaison.digests.compose("2026-W44", "cio")
    assert "Huge" in liaison.digests.render(preview, "markdown")
    liaison.digests.add_recipient(
        RecipientIn(name="Board Pack", email="board@bl.example", channel="folder")
    )
    assert liaison.digests.send("2026-W44", "board@bl.example").status == "sent"


def test_kpi_percent_never_fails():
    assert kpi_percent(18, 25, "%") == 72 and kpi_percent(1.5, 1.2, "s") == 80
    assert kpi_percent(float("nan"), 1) is None and kpi_percent(1, float("nan")) is None
    assert kpi_percent(1e300, 1e-300) is None and kpi_percent(3, 0) is None
    assert kpi_percent(float("inf"), 5, "days") == 0
    assert kpi_percent(1e307, 1) == 1_000_000  # capped, not a 300-digit number
