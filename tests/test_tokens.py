"""Personal API tokens end with the password they were made under, and may expire: in the
library, over HTTP (401 saying why), on the account page and with `liaison users token`."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from assistant.auth import Auth, Role, parse_lifetime
from assistant.errors import InvalidInput
from tests.browser import secured_app
from tests.test_auth import PASSWORD, Clock, csrf_of, sign_in


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def auth(liaison, clock) -> Auth:
    return Auth(liaison.db, liaison.settings, clock=clock)


@pytest.fixture
def app(liaison, auth):
    auth.add_user("admin", Role.admin, PASSWORD)
    return secured_app(liaison, auth=auth)[0]


def me(app, secret: str):
    return TestClient(app).get("/me", headers={"Authorization": f"Bearer {secret}"})


def test_a_password_reset_ends_the_users_tokens(app, auth):
    auth.add_user("sam", Role.member, PASSWORD)
    secret, _ = auth.create_token("sam", "laptop")
    other, _ = auth.create_token("admin")
    assert me(app, secret).status_code == 200

    auth.set_password("sam", "a brand new password")  # an admin resets it (`users password`)
    refused = me(app, secret)
    assert refused.status_code == 401 and refused.json()["error"] == "AuthError"
    assert "password changed" in refused.json()["detail"]
    assert refused.headers["WWW-Authenticate"] == "Bearer"
    assert auth.tokens("sam") == []
    assert me(app, other).status_code == 200  # only that user's tokens

    fresh, _ = auth.create_token("sam")
    user = auth.user("sam")
    auth.change_password(user, "a brand new password", "and another one")  # their own change
    assert me(app, fresh).status_code == 401


def test_tokens_expire_with_a_clear_401(app, auth, clock):
    secret, token = auth.create_token("admin", "ci", expires_in=timedelta(days=30))
    assert token.expires_at == clock.now + timedelta(days=30)
    clock.advance(days=29, hours=23)
    assert me(app, secret).status_code == 200
    clock.advance(hours=1)
    refused = me(app, secret)
    assert refused.status_code == 401
    assert refused.json()["detail"].startswith("this API token expired on 2026-12-02")
    assert "liaison users token admin" in refused.json()["detail"]
    forever, _ = auth.create_token("admin")
    clock.advance(days=3000)
    assert me(app, forever).status_code == 200


def test_unknown_and_revoked_tokens_say_so(app, auth):
    secret, token = auth.create_token("admin")
    auth.revoke_token(token.id)
    assert "was revoked" in me(app, secret).json()["detail"]
    assert me(app, "lia_made-up").json()["detail"] == "unknown API token"
    assert "start with 'lia_'" in me(app, "not-a-token").json()["detail"]


@pytest.mark.parametrize(
    "text, lifetime",
    [("30d", timedelta(days=30)), ("12h", timedelta(hours=12)), ("2w", timedelta(weeks=2)),
     ("1y", timedelta(days=365)), ("never", None), (" 7D ", timedelta(days=7))],
)  # fmt: skip
def test_lifetimes(text, lifetime):
    assert parse_lifetime(text) == lifetime


@pytest.mark.parametrize("text", ["30", "soon", "0d", "99999y", "-3d", "1.5d", "30²d"])
def test_bad_lifetimes_are_refused(text):
    with pytest.raises(InvalidInput):
        parse_lifetime(text)


def test_the_account_page_makes_tokens_that_expire(app, auth, clock):
    client = TestClient(app, follow_redirects=False)
    sign_in(client)
    csrf = csrf_of(client)
    page = client.post(
        "/app/account/tokens", data={"label": "script", "expires": "7d", "csrf_token": csrf}
    )
    assert page.status_code == 200 and "2026-11-09" in page.text
    (listed,) = auth.tokens("admin")
    assert listed.expires_at == clock.now + timedelta(days=7)
    clock.advance(days=8)
    assert "expired" in client.get("/app/account").text
    bad = client.post("/app/account/tokens", data={"expires": "soon", "csrf_token": csrf})
    assert bad.status_code == 303 and "error=" in bad.headers["location"]


def test_cli_token_with_expiry(home, settings):
    from assistant.store import Database

    env = {**os.environ, "LIAISON_HOME": str(home), "LIAISON_EMBEDDER": "hashing"}

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-c", "from assistant.cli import main; main()", *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )

    assert run("users", "add", "priya", "--role", "member").returncode == 0
    made = run("users", "token", "priya", "--expires", "30d")
    assert made.returncode == 0, made.stderr
    secret = made.stdout.strip()
    assert re.fullmatch(r"lia_\S+", secret) and "expires" in made.stderr
    db = Database(settings.db_path)
    (listed,) = Auth(db, settings).tokens("priya")
    assert listed.expires_at is not None
    assert timedelta(days=29) < listed.expires_at - listed.created_at <= timedelta(days=30)
    db.close()
    wrong = run("users", "token", "priya", "--expires", "someday")
    assert wrong.returncode != 0 and "token lifetime" in wrong.stdout + wrong.stderr
