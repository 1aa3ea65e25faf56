"""Every route × every role, generated from the app's own routes.

A route without a rule in `assistant.api.security.RULES` fails `test_every_route_has_a_rule`;
each route is then called with a real API token of each role (and anonymously) and must be
refused exactly when the rule says so. Path parameters point at things that do not exist, so
allowed calls end in 404/422 after the security check and nothing is changed.
"""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from assistant.api.routing import app_routes
from assistant.api.security import PUBLIC, is_page, required_role, rule_for
from assistant.auth import Role
from tests.browser import secured_app

WRITE_METHODS = {"POST", "PATCH", "PUT", "DELETE"}
# Writes a viewer may make: they change nothing shared (asking, signing out, own account).
# /mcp: every MCP message is a POST; each tool checks the role (tests/test_mcp.py).
VIEWER_WRITES = {"/ask", "/search", "/logout", "/app/account", "/mcp"}


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    from assistant.config import Settings
    from assistant.embed import HashingEmbedder
    from assistant.service import Liaison
    from tests.conftest import ScriptedExtractor

    home = tmp_path_factory.mktemp("roles")
    settings = Settings(home=home, embedder="hashing", admin_password="admin-password")
    liaison = Liaison(settings, embedder=HashingEmbedder(), extractor=ScriptedExtractor())
    app, auth = secured_app(liaison)
    tokens = {"admin": auth.create_token("admin")[0]}
    for role in (Role.viewer, Role.member, Role.leader):
        auth.add_user(role.value, role, "password-" + role.value)
        tokens[role.value] = auth.create_token(role.value)[0]
    yield app, tokens
    liaison.db.close()


def _endpoints(app) -> list[tuple[str, str]]:
    found = []
    for path, methods, _is_mount in app_routes(app):
        for method in sorted(methods or {"GET"}):
            if method != "HEAD":
                found.append((path, method))
    return found


def _concrete(path: str) -> str:
    """A real URL for a route template, pointing at nothing that exists."""
    if path == "/static":
        return "/static/app.css"
    return re.sub(
        r"\{(\w+)(:\w+)?\}", lambda m: "999999" if m.group(1).endswith("id") else "nobody", path
    )


def test_every_route_has_a_rule(world):
    app, _ = world
    missing = [f"{m} {p}" for p, m in _endpoints(app) if rule_for(p, m) is None]
    assert not missing, f"add these to RULES in assistant/api/security.py: {missing}"


def test_the_table_covers_api_pages_and_static(world):
    app, _ = world
    paths = {p for p, _ in _endpoints(app)}
    assert {"/meetings", "/items/{item_id}", "/app/", "/app/items", "/login", "/static"} <= paths


@pytest.mark.parametrize("role", ["viewer", "member", "leader", "admin"])
def test_each_role_gets_exactly_what_the_table_allows(world, role):
    app, tokens = world
    client = TestClient(app, follow_redirects=False)
    wrong = []
    for path, method in _endpoints(app):
        needed = required_role(path, method)
        if needed is PUBLIC:
            continue  # (POST /login answers 401 for a wrong password: that is not security)
        allowed = Role(role).allows(needed)
        response = client.request(
            method, _concrete(path), headers={"Authorization": f"Bearer {tokens[role]}"}
        )
        refused = response.status_code in (401, 403)
        if allowed == refused:
            wrong.append(f"{method} {path}: {response.status_code} (needs {needed})")
    assert not wrong, f"{role}: " + "; ".join(wrong)


def test_anonymous_callers_get_401_from_the_api_and_the_login_page_in_a_browser(world):
    app, _ = world
    client = TestClient(app, follow_redirects=False)
    wrong = []
    for path, method in _endpoints(app):
        response = client.request(method, _concrete(path))
        if required_role(path, method) is PUBLIC:
            ok = response.status_code not in (401, 403) or path == "/login"
        elif is_page(path):
            ok = response.status_code == 303 and response.headers["location"].startswith(
                "/login?next="
            )
        else:
            ok = response.status_code == 401 and response.json()["error"] == "AuthError"
        if not ok:
            wrong.append(f"{method} {path}: {response.status_code}")
    assert not wrong, "; ".join(wrong)
    assert client.get("/login").status_code == 200
    assert client.get("/health").status_code == 200
    assert client.get("/static/app.css").status_code == 200


def test_viewers_cannot_change_anything_shared(world):
    app, tokens = world
    client = TestClient(app, follow_redirects=False)
    bearer = {"Authorization": f"Bearer {tokens['viewer']}"}
    checked = 0
    for path, method in _endpoints(app):
        if method not in WRITE_METHODS or required_role(path, method) is PUBLIC:
            continue
        if any(path == p or path.startswith(p + "/") for p in VIEWER_WRITES):
            assert required_role(path, method) == Role.viewer
            continue
        response = client.request(method, _concrete(path), headers=bearer)
        assert response.status_code == 403, f"{method} {path}: {response.status_code}"
        checked += 1
    assert checked >= 8  # uploads, item edits, undo, goals, deletes, settings forms …


def test_a_refused_page_is_a_page_and_a_refused_api_call_is_json(world):
    app, tokens = world
    client = TestClient(app, follow_redirects=False)
    bearer = {"Authorization": f"Bearer {tokens['member']}"}
    page = client.get("/app/settings", headers=bearer)
    assert page.status_code == 403 and "text/html" in page.headers["content-type"]
    assert "needs leader" in page.text
    api = client.delete("/meetings/1", headers=bearer)
    assert api.status_code == 403 and api.json()["error"] == "Forbidden"


def test_unknown_route_needs_sign_in_and_then_is_404(world):
    app, tokens = world
    client = TestClient(app, follow_redirects=False)
    assert client.get("/no-such-thing").status_code == 401
    bearer = {"Authorization": f"Bearer {tokens['admin']}"}
    assert client.get("/no-such-thing", headers=bearer).status_code == 404


def _signed_in(app, name: str, password: str) -> tuple[TestClient, str]:
    client = TestClient(app, follow_redirects=False)
    client.post("/login", data={"username": name, "password": password})
    page = client.get("/app/account")
    return client, re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)


def test_leaders_curate_goals_glossary_and_tools_admins_manage_people(tmp_path):
    from assistant.config import Settings
    from assistant.embed import HashingEmbedder
    from assistant.service import Liaison
    from tests.conftest import SAMPLES, ScriptedExtractor

    settings = Settings(home=tmp_path, embedder="hashing", admin_password="admin-password")
    liaison = Liaison(settings, embedder=HashingEmbedder(), extractor=ScriptedExtractor())
    liaison.import_goals((SAMPLES / "goals.yaml").read_text())
    app, auth = secured_app(liaison)
    auth.add_user("dana", Role.leader, "leader-password")
    leader, csrf = _signed_in(app, "dana", "leader-password")

    kpis = {"current_0": "30", "current_1": "55", "done_0": "on", "csrf_token": csrf}
    assert leader.post("/app/settings/goals/cdp-live/kpis", data=kpis).status_code == 303
    goal = liaison.goal("cdp-live")
    assert [k.current for k in goal.kpis] == [30, 55]
    assert [m.done for m in goal.milestones] == [True, False, False, False]

    term = {"term": "ROAS", "for_it": "Revenue per ad dollar.", "for_marketing": "Same."}
    leader.post("/app/settings/glossary", data={**term, "csrf_token": csrf})
    assert liaison.glossary.term("ROAS").source == "user"
    leader.post("/app/settings/tools", data={"name": "Hotjar", "csrf_token": csrf})
    assert "Hotjar" in {t.name for t in liaison.tools.approved()}

    # Leaders do not see or use the people parts of the settings.
    page = leader.get("/app/settings")
    assert page.status_code == 200 and 'id="users"' not in page.text
    denied = leader.post("/app/settings/users", data={"name": "eve", "csrf_token": csrf})
    assert denied.status_code == 403

    admin, csrf = _signed_in(app, "admin", "admin-password")
    added = admin.post(
        "/app/settings/users", data={"name": "sam", "role": "member", "csrf_token": csrf}
    )
    one_time = re.search(r"shown once\): ([\w-]+)", added.text).group(1)
    assert auth.authenticate("sam", one_time).must_change_password
    recipient = {"name": "Dana", "email": "dana@example.com", "role": "cio", "csrf_token": csrf}
    admin.post("/app/settings/recipients", data=recipient)
    assert [r.email for r in liaison.digests.recipients()] == ["dana@example.com"]
    liaison.db.close()
