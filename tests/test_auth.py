"""Sign-in: argon2 passwords, DB-stored sessions, CSRF on forms, rate limit, tokens, first run."""

from __future__ import annotations

import re
import sqlite3
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from assistant.auth import Auth, Role, TooManyAttempts
from assistant.errors import AuthError, Conflict, InvalidInput
from tests.browser import secured_app

PASSWORD = "correct horse"


class Clock:
    """A clock the test moves by hand."""

    def __init__(self):
        self.now = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def auth(liaison, clock) -> Auth:
    return Auth(liaison.db, liaison.settings, clock=clock)


@pytest.fixture
def app(liaison, auth):
    auth.add_user("admin", Role.admin, PASSWORD)
    app, _ = secured_app(liaison, auth=auth)
    return app


@pytest.fixture
def client(app) -> TestClient:
    return TestClient(app, follow_redirects=False)


def sign_in(client: TestClient, name: str = "admin", password: str = PASSWORD, **extra):
    return client.post("/login", data={"username": name, "password": password, **extra})


def csrf_of(client: TestClient, path: str = "/app/account") -> str:
    page = client.get(path)
    assert page.status_code == 200, page.text
    return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)


# ---------------------------------------------------------------------- passwords


def test_passwords_are_stored_as_argon2_hashes(auth, liaison):
    auth.add_user("dana", Role.leader, PASSWORD)
    stored = liaison.db.connect().execute("SELECT password_hash FROM users").fetchone()[0]
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert auth.authenticate("dana", PASSWORD).name == "dana"
    assert auth.authenticate("DANA", PASSWORD).name == "dana"  # names are case-insensitive
    with pytest.raises(AuthError, match="wrong user name or password"):
        auth.authenticate("dana", PASSWORD + "!")


def test_user_rules_are_checked(auth):
    auth.add_user("dana", "leader", PASSWORD)
    with pytest.raises(Conflict):
        auth.add_user("Dana", Role.member, PASSWORD)
    with pytest.raises(InvalidInput, match="at least 8"):
        auth.add_user("sam", Role.member, "short")
    with pytest.raises(InvalidInput, match="unknown role"):
        auth.add_user("sam", "owner", PASSWORD)
    with pytest.raises(InvalidInput, match="user name"):
        auth.add_user("sam smith", Role.member, PASSWORD)
    auth.add_user("root", Role.admin, PASSWORD)
    with pytest.raises(InvalidInput, match="last admin"):
        auth.remove_user("root")
    with pytest.raises(InvalidInput, match="last admin"):
        auth.set_role("root", Role.viewer)


# ---------------------------------------------------------------------- sessions


def test_sign_in_sets_a_safe_cookie_and_sign_out_revokes_it(client):
    assert client.get("/app/").status_code == 303  # anonymous → login
    response = sign_in(client, next="/app/items")
    assert response.status_code == 303 and response.headers["location"] == "/app/items"
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "samesite=lax" in cookie.lower() and "Secure" not in cookie
    secret = client.cookies["liaison_session"]
    assert client.get("/app/").status_code == 200

    token = csrf_of(client)
    assert client.post("/logout", data={"csrf_token": token}).status_code == 303
    # The old cookie value no longer works, even if a copy of it was kept.
    client.cookies.set("liaison_session", secret)
    assert client.get("/app/").headers["location"].startswith("/login")


def test_wrong_password_shows_the_form_again(client):
    response = sign_in(client, password="nope-nope")
    assert response.status_code == 401
    assert "wrong user name or password" in response.text
    assert "liaison_session" not in client.cookies


def test_secure_cookie_when_configured(liaison, auth):
    liaison.settings.secure_cookies = True
    auth.add_user("admin", Role.admin, PASSWORD)
    app, _ = secured_app(liaison, auth=auth)
    response = sign_in(TestClient(app, base_url="https://testserver", follow_redirects=False))
    assert "Secure" in response.headers["set-cookie"]


def test_session_expires(client, clock, liaison):
    sign_in(client)
    clock.advance(days=liaison.settings.session_days, seconds=1)
    assert client.get("/app/").headers["location"].startswith("/login")


def test_no_redirect_to_another_site_after_sign_in(client):
    response = sign_in(client, next="//evil.example/")
    assert response.headers["location"] == "/app/"


def test_removing_a_user_ends_their_sessions(client, auth):
    auth.add_user("sam", Role.member, PASSWORD)
    sign_in(client, "sam")
    assert client.get("/app/").status_code == 200
    auth.remove_user("sam")
    assert client.get("/app/").status_code == 303


# ---------------------------------------------------------------------- CSRF


def test_form_posts_need_the_session_csrf_token(client, liaison):
    liaison.import_goals("goals: [{id: g1, title: Goal one}]")
    sign_in(client)
    token = csrf_of(client)
    form = {"yaml_text": "goals: [{id: g2, title: Goal two}]"}
    missing = client.post("/app/settings/goals/import", data=form)
    assert missing.status_code == 403 and "CSRF" in missing.text
    wrong = client.post("/app/settings/goals/import", data={**form, "csrf_token": "x" * 32})
    assert wrong.status_code == 403
    assert [g.id for g in liaison.goals()] == ["g1"]
    ok = client.post("/app/settings/goals/import", data={**form, "csrf_token": token})
    assert ok.status_code == 303
    assert {g.id for g in liaison.goals()} == {"g1", "g2"}


def test_session_api_calls_need_the_csrf_header_but_tokens_do_not(client, auth, liaison):
    liaison.import_goals("goals: [{id: g1, title: Goal one}]")
    sign_in(client)
    token = csrf_of(client)
    assert client.patch("/goals/g1", json={"title": "A"}).status_code == 403
    assert (
        client.patch("/goals/g1", json={"title": "B"}, headers={"X-CSRF-Token": token}).json()[
            "title"
        ]
        == "B"
    )
    secret, _ = auth.create_token("admin")
    bare = TestClient(client.app)
    response = bare.patch(
        "/goals/g1", json={"title": "C"}, headers={"Authorization": f"Bearer {secret}"}
    )
    assert response.status_code == 200 and liaison.goal("g1").title == "C"


# ---------------------------------------------------------------------- rate limit


def test_failed_sign_ins_are_rate_limited_across_restarts(liaison, clock, client):
    for _ in range(liaison.settings.login_max_failures):
        assert sign_in(client, password="wrong-guess").status_code == 401
    blocked = sign_in(client)  # even the right password is refused now
    assert blocked.status_code == 429
    assert "too many failed sign-ins" in blocked.text
    assert 0 < int(blocked.headers["Retry-After"]) <= liaison.settings.login_window_s

    # A new process (new Auth over the same database) still refuses.
    restarted = Auth(liaison.db, liaison.settings, clock=clock)
    with pytest.raises(TooManyAttempts):
        restarted.authenticate("admin", PASSWORD, "testclient")
    # Another address is not blocked by these failures.
    assert restarted.authenticate("admin", PASSWORD, "10.0.0.9").name == "admin"

    clock.advance(seconds=liaison.settings.login_window_s + 1)
    assert sign_in(client).status_code == 303


# ---------------------------------------------------------------------- API tokens


def test_api_tokens_are_hashed_shown_once_and_revocable(app, auth, liaison):
    auth.add_user("sam", Role.member, PASSWORD)
    secret, token = auth.create_token("sam", "laptop")
    assert secret.startswith(token.prefix) and len(secret) > 40
    stored = [tuple(r) for r in liaison.db.connect().execute("SELECT * FROM api_tokens")]
    assert not any(secret in str(v) for row in stored for v in row)

    client = TestClient(app)
    bearer = {"Authorization": f"Bearer {secret}"}
    me = client.get("/me", headers=bearer)
    assert me.status_code == 200 and me.json()["name"] == "sam" and me.json()["role"] == "member"
    assert [t.prefix for t in auth.tokens("sam")] == [token.prefix]

    auth.revoke_token(token.id, owner="sam")
    refused = client.get("/me", headers=bearer)
    assert refused.status_code == 401 and refused.json()["error"] == "AuthError"
    assert client.get("/me", headers={"Authorization": "Bearer lia_made-up"}).status_code == 401


def test_users_create_and_revoke_their_own_tokens_in_the_web_app(client, auth):
    sign_in(client)
    token = csrf_of(client)
    page = client.post("/app/account/tokens", data={"label": "script", "csrf_token": token})
    secret = re.search(r'id="new-token"[^>]*>([^<]+)<', page.text).group(1)
    assert (
        TestClient(client.app)
        .get("/me", headers={"Authorization": f"Bearer {secret}"})
        .json()["name"]
        == "admin"
    )
    (listed,) = auth.tokens("admin")
    assert secret not in client.get("/app/account").text  # shown once only
    client.post(f"/app/account/tokens/{listed.id}/revoke", data={"csrf_token": token})
    assert auth.tokens("admin") == []


# ---------------------------------------------------------------------- first run


def test_first_run_creates_admin_with_a_one_time_password(liaison, clock):
    liaison.settings.admin_password = None  # nobody set LIAISON_ADMIN_PASSWORD
    announced: list[str] = []
    app, auth = secured_app(
        liaison, auth=Auth(liaison.db, liaison.settings, clock=clock), announce=announced.append
    )
    assert len(announced) == 1 and [u.name for u in auth.users()] == ["admin"]
    client = TestClient(app, follow_redirects=False)
    response = sign_in(client, password=announced[0])
    assert response.headers["location"] == "/app/account?first=1"
    assert client.get("/app/items").headers["location"] == "/app/account?first=1"
    token = csrf_of(client)
    changed = client.post(
        "/app/account/password",
        data={"current": announced[0], "new": PASSWORD, "confirm": PASSWORD, "csrf_token": token},
    )
    assert changed.status_code == 303
    assert client.get("/app/items").status_code == 200  # same session still valid
    # A second start does not create or announce anything.
    secured_app(liaison, announce=announced.append)
    assert len(announced) == 1


def test_first_run_uses_the_admin_password_setting(liaison):
    liaison.settings.admin_password = "from-the-environment"
    announced: list[str] = []
    app, auth = secured_app(liaison, announce=announced.append)
    assert announced == []
    assert not auth.user("admin").must_change_password
    assert sign_in(TestClient(app, follow_redirects=False), password="from-the-environment")
    assert auth.authenticate("admin", "from-the-environment").role == Role.admin


def test_sessions_and_tokens_are_stored_as_hashes_only(client, auth, liaison):
    sign_in(client)
    secret = client.cookies["liaison_session"]
    conn = sqlite3.connect(liaison.settings.db_path)
    dump = "\n".join(conn.iterdump())
    assert secret not in dump
