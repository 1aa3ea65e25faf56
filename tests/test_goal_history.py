"""KPI history: every change of a KPI's value is kept (goal import, an edit and who made it, a
meeting that said it, with its words), listed by the API, the CLI and the goal's page, and the
weekly digests show how each KPI moved in the period."""

from __future__ import annotations

import getpass
import json
import re
from datetime import UTC, datetime

import pytest

from assistant.digest.weeks import week_of
from assistant.errors import GoalNotFound
from assistant.kpi_readings import kpi_history
from assistant.models import KPI, Goal
from tests.browser import secured_app
from tests.conftest import api_client
from tests.test_cli import run  # noqa: F401  (the fixture: the real `liaison` command)

GOALS = """goals:
  - id: consent-banner
    title: Compliant consent banner
    side: Joint
    kpis:
      - {name: Tags gated by consent category, unit: "%", target: 100, current: 35}
      - {name: Opt-in rate on the new banner, unit: "%", target: 60}
"""
WEEK41 = """Title: Weekly sync
Date: 2026-10-06

Margot Ellison: Kenji, where are we on the banner?
Kenji Watanabe: Tags gated by consent category is at thirty-five percent. Target is 100 percent.
"""
WEEK42 = """Title: Weekly sync
Date: 2026-10-13

Margot Ellison: And the tags?
Kenji Watanabe: We're at fifty percent of tags gated now. If legal signs, we'd be at 80 percent.
Lucia Ferraro: The opt-in rate on the new banner will be at sixty percent, I hope.
"""


def readings(liaison, goal_id="consent-banner"):
    return [(r.kpi, r.value, r.source, r.author) for r in kpi_history(liaison, goal_id)]


def test_import_and_edits_keep_each_change_of_a_value_with_who(liaison):
    liaison.import_goals(GOALS, "margot")
    tags = "Tags gated by consent category"
    assert readings(liaison) == [(tags, 35, "import", "margot")]  # the opt-in rate has no value
    liaison.import_goals(GOALS)  # the same values again: nothing changed, nothing recorded
    kpis = [k.model_dump() for k in liaison.goal("consent-banner").kpis]
    kpis[0]["current"] = 50
    liaison.update_goal("consent-banner", {"kpis": kpis, "title": "Banner"}, "kenji")
    liaison.update_goal("consent-banner", {"description": "no KPI changed"}, "kenji")
    assert readings(liaison) == [(tags, 35, "import", "margot"), (tags, 50, "edit", "kenji")]
    with pytest.raises(GoalNotFound):
        kpi_history(liaison, "nope")


def test_a_value_said_in_a_meeting_is_kept_with_its_words_and_changes_no_value(liaison):
    liaison.import_goals(GOALS)
    first = liaison.ingest_bytes(WEEK41.encode(), "w41.txt")
    second = liaison.ingest_bytes(WEEK42.encode(), "w42.txt")
    said = [r for r in kpi_history(liaison, "consent-banner") if r.source == "meeting"]
    # The target, the hypothetical eighty and the hoped-for opt-in rate are not readings.
    assert [(r.value, r.meeting_id, r.turn_index) for r in said] == [
        (35, first.meeting.id, 1),
        (50, second.meeting.id, 1),
    ]
    assert said[1].quote == "We're at fifty percent of tags gated now."
    assert said[1].speaker == "Kenji Watanabe" and said[1].meeting_title == "Weekly sync"
    assert said[1].at.date().isoformat() == "2026-10-13"
    assert liaison.goal("consent-banner").kpis[0].current == 35  # the value a person set
    liaison.delete_meeting(second.meeting.id)  # its readings go with it
    assert [r.value for r in kpi_history(liaison, "consent-banner") if r.source == "meeting"] == [
        35
    ]


def test_ingest_goes_on_when_the_readings_fail(liaison, monkeypatch, caplog):
    import assistant.kpi_readings as kr

    liaison.import_goals(GOALS)

    def broken(*args):
        raise RuntimeError("detector bug")

    monkeypatch.setattr(kr, "find_readings", broken)
    outcome = liaison.ingest_bytes(WEEK42.encode(), "w42.txt")
    assert outcome.ok and outcome.meeting is not None
    assert "not recorded" in caplog.text
    assert [r.source for r in kpi_history(liaison, "consent-banner")] == ["import"]


def test_api_lists_the_history_paged_and_keeps_who_edited(settings, liaison):
    with api_client(settings, liaison) as client:
        body = {"id": "g1", "title": "G", "kpis": [{"name": "K", "unit": "%", "target": 9}]}
        assert client.post("/goals", json=body).status_code == 201
        for value in (1, 2, 3):
            kpis = [{"name": "K", "unit": "%", "target": 9, "current": value}]
            assert client.patch("/goals/g1", json={"kpis": kpis}).status_code == 200
        whole = client.get("/goals/g1/kpis").json()
        assert whole["total"] == 3
        assert [(r["value"], r["source"], r["author"]) for r in whole["readings"]] == [
            (1, "edit", "admin"),
            (2, "edit", "admin"),
            (3, "edit", "admin"),
        ]
        page = client.get("/goals/g1/kpis", params={"limit": 1, "offset": 1}).json()
        assert (page["total"], page["limit"], page["offset"]) == (3, 1, 1)
        assert [r["value"] for r in page["readings"]] == [2]
        missing = client.get("/goals/nope/kpis")
        assert missing.status_code == 404 and missing.json()["error"] == "GoalNotFound"


def test_cli_history_shows_edits_by_the_login_and_json(run, tmp_path):  # noqa: F811
    path = tmp_path / "goals.yaml"
    path.write_text(GOALS)
    assert run("goals", "import", str(path)).returncode == 0
    edit = run(
        "goals", "edit", "consent-banner", "--kpi-current", "Tags gated by consent category=50"
    )
    assert edit.returncode == 0, edit.stderr
    out = run("goals", "history", "consent-banner", "--json")
    assert out.returncode == 0, out.stderr
    got = [(r["value"], r["source"], r["author"]) for r in json.loads(out.stdout)]
    assert got == [(35, "import", getpass.getuser()), (50, "edit", getpass.getuser())]
    table = run("goals", "history", "consent-banner")
    assert "edit by " + getpass.getuser() in table.stdout and "50 %" in table.stdout
    missing = run("goals", "history", "nope")
    assert missing.returncode != 0 and "nope" in (missing.stderr + missing.stdout)


def test_the_goal_page_shows_each_kpis_history(liaison):
    from fastapi.testclient import TestClient

    liaison.import_goals(GOALS)
    meeting = liaison.ingest_bytes(WEEK42.encode(), "w42.txt").meeting
    app, _ = secured_app(liaison)
    browser = TestClient(app, follow_redirects=False)
    browser.post("/login", data={"username": "admin", "password": "admin-password-for-tests"})
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', browser.get("/app/settings").text)[1]
    r = browser.post(
        "/app/settings/goals/consent-banner/kpis", data={"current_0": "60", "csrf_token": csrf}
    )
    assert r.status_code == 303
    page = browser.get("/app/goals/consent-banner")
    assert page.status_code == 200
    text = re.sub(r"\s+", " ", page.text)
    assert "edit by admin" in text and "goal import" in text
    assert f'href="/app/meetings/{meeting.id}#t1">Weekly sync</a> on 2026-10-13' in text
    assert "We&#39;re at fifty percent of tags gated now." in text
    assert 'href="/app/goals/consent-banner"' in browser.get("/app/").text  # linked from home
    assert browser.get("/app/goals/nope").status_code == 404


def _goal_lines(liaison, week, role):
    digest = liaison.digests.compose(week, role)
    section = next(s for s in digest.sections if s.key == "goals")
    return {ln.text.split(":")[0]: ln for g in section.groups for ln in g.lines}


def test_digests_show_how_each_kpi_moved_and_the_meeting_that_said_it(liaison):
    liaison.import_goals(GOALS)
    liaison.ingest_bytes(WEEK41.encode(), "w41.txt")
    second = liaison.ingest_bytes(WEEK42.encode(), "w42.txt").meeting
    for role in ("cio", "cmo"):
        lines = _goal_lines(liaison, "2026-W42", role)
        tags = lines["Tags gated by consent category"]
        assert "35 → 50 % this period, +15" in tags.detail, tags.detail
        assert "said in Weekly sync on Tue 13 Oct" in tags.detail
        assert tags.quote == "We're at fifty percent of tags gated now."
        assert tags.link.endswith(f"/app/meetings/{second.id}#t1")
        assert "no change this period" in lines["Opt-in rate on the new banner"].detail
    quiet = _goal_lines(liaison, "2026-W43", "cmo")["Tags gated by consent category"]
    assert "no change this period" in quiet.detail and not quiet.quote


def test_digest_of_this_week_shows_an_edit(liaison):
    liaison.save_goal(Goal(id="g", title="G", kpis=[KPI(name="K", unit="%", current=35)]), "a")
    liaison.update_goal("g", {"kpis": [{"name": "K", "unit": "%", "current": 50}]}, "b")
    line = _goal_lines(liaison, week_of(datetime.now(UTC).date()), "cio")["K"]
    assert "35 → 50 % this period, +15" in line.detail and not line.quote
