"""Sign-in enforcement for the whole app: who is calling, may their role do this, is it CSRF-safe.

`install_security(app)` adds one ASGI middleware. For every HTTP request it finds the route the
request will reach, looks up the minimum role in `RULES` (route pattern × method → role), and
identifies the caller by `Authorization: Bearer <token>` or the session cookie. Routers need no
change: a route without a rule is refused to everyone but admins (fail closed), and
tests/test_roles.py fails until the rule is written.

| route                                   | GET/HEAD | POST/PATCH/PUT/DELETE          |
|-----------------------------------------|----------|--------------------------------|
| /health, /login, /static/*              | public   | public (sign-in form)          |
| /logout, /app/account/*                 | viewer   | viewer (own password, tokens)  |
| /ask, /search (questions only read)     | viewer   | viewer                         |
| /meetings (upload), /items (corrections)| viewer   | member                         |
| …/speakers (renames, in the API and app)| viewer   | member                         |
| /jobs (upload jobs: progress, outcome)  | viewer   |                                |
| /proposals (approve, reject)            | viewer   | member                         |
| /mcp (each tool checks the role)        | viewer   | viewer                         |
| DELETE /meetings/{id}                   |          | leader                         |
| /goals, /glossary, /tools, /people      | viewer   | leader                         |
| /speakers/aliases (spellings of names)  | viewer   | leader                         |
| /digests (preview of a role's digest)   | viewer   | leader (send now)              |
| /digests/history (who was sent what)    | leader   |                                |
| /recipients (digest recipients)         | leader   | admin                          |
| /app/settings (goals, glossary, tools)  | leader   | leader                         |
| /app/settings/users*, …/recipients*     | admin    | admin                          |
| /exports/*, /calendar/{secret}.ics      | viewer, public (the URL's secret) |     |
| /calendar/feeds, /calendar/import       | viewer   | member                         |
| /webhooks*, /app/settings/webhooks*     | admin    | admin                          |

A method a path does not serve (OPTIONS, or PUT on /meetings) needs only a signed-in user: the
answer is 405, or 204 for OPTIONS, naming the methods it does serve (api/errors.py).

Sessions must send their CSRF token on every change (header `X-CSRF-Token` or form field
`csrf_token`); bearer-token calls need none (a browser never adds that header by itself).
"""

from __future__ import annotations

import fnmatch
import hmac
import json
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import parse_qs, quote

from fastapi import APIRouter, Depends, FastAPI, Request
from pydantic import BaseModel
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant.api.contract import known_query
from assistant.api.routing import route_template
from assistant.auth import Auth, Role, Session, User
from assistant.errors import AuthError, Forbidden

SESSION_COOKIE = "liaison_session"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
MAX_FORM_BYTES = 1 << 20
PUBLIC = None  # a rule whose role is PUBLIC needs no sign-in


@dataclass(frozen=True)
class Rule:
    """Route template pattern (fnmatch on e.g. '/items/{item_id}') × methods → minimum role."""

    pattern: str
    methods: frozenset[str]
    role: Role | None

    def matches(self, path: str, method: str) -> bool:
        return method in self.methods and fnmatch.fnmatchcase(path, self.pattern)


def _rule(pattern: str, methods: str, role: Role | None) -> Rule:
    return Rule(pattern, frozenset(methods.split()), role)


READ = "GET HEAD"
WRITE = "POST PATCH PUT DELETE"
V, M, L, A = Role.viewer, Role.member, Role.leader, Role.admin

# First match wins: specific patterns before general ones.
RULES: list[Rule] = [
    # Public
    _rule("/health", READ, PUBLIC),
    _rule("/login", "GET HEAD POST", PUBLIC),
    _rule("/static", READ, PUBLIC),
    _rule("/calendar/{secret}.ics", READ, PUBLIC),  # a feed URL: its secret is the key
    # Everyone signed in: reading, asking, signing out, their own account
    _rule("/", READ, V),
    _rule("/me", READ, V),
    _rule("/logout", "POST", V),
    _rule("/docs", READ, V),
    _rule("/docs/oauth2-redirect", READ, V),
    _rule("/redoc", READ, V),
    _rule("/openapi.json", READ, V),
    _rule("/app/account*", READ + " POST", V),
    _rule("/ask*", READ + " POST", V),  # asking a question changes nothing
    _rule("/search*", READ + " POST", V),
    # Meetings and items: members upload and correct; leaders delete
    _rule("/meetings/{meeting_id}", "DELETE", L),
    _rule("/meetings*", READ, V),
    _rule("/meetings*", WRITE, M),
    _rule("/items*", READ, V),
    _rule("/items*", WRITE, M),
    _rule("/parking-lot*", READ, V),
    _rule("/jobs*", READ, V),  # upload jobs: state, progress, the file's outcome
    # Exports and calendars: everyone downloads; members import calendars and make feed URLs
    _rule("/exports*", READ, V),
    _rule("/calendar/feeds*", READ, V),
    _rule("/calendar/feeds*", WRITE, M),
    _rule("/calendar/events*", READ, V),
    _rule("/calendar/import", "POST", M),
    # Outgoing webhooks: their URLs and secrets are for admins
    _rule("/webhooks*", READ + " " + WRITE, A),
    # Proposed changes to items (from MCP): members decide; MCP tools check roles themselves
    _rule("/proposals*", READ, V),
    _rule("/proposals*", WRITE, M),
    _rule("/mcp", READ + " " + WRITE, V),
    # Shared goals, glossary and approved tools: leaders curate
    _rule("/goals*", READ, V),
    _rule("/goals*", WRITE, L),
    _rule("/glossary*", READ, V),
    _rule("/glossary*", WRITE, L),
    _rule("/tools*", READ, V),
    _rule("/tools*", WRITE, L),
    _rule("/people*", READ, V),
    _rule("/people*", WRITE, L),
    _rule("/speakers*", READ, V),  # aliases of names: the people directory's, leaders curate
    _rule("/speakers*", WRITE, L),
    # Digests: everyone previews; leaders send; admins manage who receives them
    _rule("/digests/history*", READ, L),  # who was sent what: names and email addresses
    _rule("/digests*", READ, V),
    _rule("/digests*", WRITE, L),
    _rule("/recipients*", READ, L),  # names and email addresses
    _rule("/recipients*", WRITE, A),
    # Web pages
    _rule("/app/settings/users*", READ + " " + WRITE, A),
    _rule("/app/settings/recipients*", READ + " " + WRITE, A),
    _rule("/app/settings/webhooks*", READ + " " + WRITE, A),
    _rule("/app/settings*", READ + " " + WRITE, L),
    _rule("/app/digests/send*", WRITE, L),
    _rule("/app/meetings/{meeting_id}/delete", WRITE, L),
    _rule("/app/items*", WRITE, M),
    _rule("/app/meetings/{meeting_id}/speakers*", WRITE, M),  # renaming speakers
    _rule("/app/proposals*", WRITE, M),
    _rule("/app*", READ, V),
]
FALLBACK = Role.admin  # a route nobody wrote a rule for: fail closed


def rule_for(path: str, method: str) -> Rule | None:
    """The rule for a route template and method; None when no rule covers it."""
    method = "GET" if method == "HEAD" else method
    for rule in RULES:
        if rule.matches(path, method):
            return rule
    return None


def required_role(path: str, method: str) -> Role | None:
    """Minimum role for a route template and method (PUBLIC = None)."""
    rule = rule_for(path, method)
    return FALLBACK if rule is None else rule.role


_API_MEETING = re.compile(r"^/meetings/(\d+)$")


def browser_alias(scope: Scope) -> str | None:
    """A browser opening an API meeting link (as digests print them) is sent to its page."""
    match = _API_MEETING.match(scope["path"])
    if not match or scope["method"] != "GET":
        return None
    headers = dict(scope.get("headers") or [])
    if b"authorization" in headers or b"text/html" not in headers.get(b"accept", b""):
        return None
    return f"/app/meetings/{match.group(1)}"


def is_page(path: str) -> bool:
    """Browser pages get redirects and HTML errors; everything else is the JSON API."""
    return path == "/" or path.startswith(("/app", "/login", "/logout"))


# ---------------------------------------------------------------------- the middleware


class SecurityMiddleware:
    """Authenticate, authorise and CSRF-check every HTTP request (pure ASGI, streams intact)."""

    def __init__(self, app: ASGIApp, *, fastapi_app: FastAPI, auth: Auth):
        self.app = app
        self.fastapi_app = fastapi_app
        self.auth = auth

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if alias := browser_alias(scope):
            await _redirect(scope, receive, send, alias)
            return
        request = Request(scope)
        method = scope["method"]
        template, served = route_template(self.fastapi_app, scope["path"], method)
        if template is None:
            needed: Role | None = FALLBACK
        elif served:
            needed = required_role(template, method)
        else:  # a method the path does not serve: any signed-in user is told which it does
            needed = Role.viewer
        page = is_page(scope["path"])

        user, session, bearer = None, None, False
        header = request.headers.get("authorization", "")
        if header[:7].lower() == "bearer ":
            bearer = True
            try:
                user = self.auth.check_token(header[7:].strip())
            except AuthError as exc:
                await _deny(scope, receive, send, 401, str(exc), page=False)
                return
        elif cookie := request.cookies.get(SESSION_COOKIE):
            session = self.auth.session(cookie)
            user = session.user if session else None
        scope["liaison.user"] = user
        scope["liaison.session"] = session

        if needed is PUBLIC:
            await self.app(scope, receive, send)
            return
        if user is None:
            if page:
                target = scope["path"] + (f"?{request.url.query}" if request.url.query else "")
                await _redirect(scope, receive, send, f"/login?next={quote(target)}")
            else:
                await _deny(
                    scope,
                    receive,
                    send,
                    401,
                    "sign in, or send 'Authorization: Bearer <token>'",
                    page=False,
                )
            return
        if not user.role.allows(needed):
            await _deny(
                scope,
                receive,
                send,
                403,
                f"your role ({user.role.value}) may not do this; it needs {needed.value}",
                page=page,
            )
            return
        if session is not None and not bearer and method not in SAFE_METHODS:
            ok, receive = await _check_csrf(request, receive, session.csrf)
            if not ok:
                await _deny(
                    scope,
                    receive,
                    send,
                    403,
                    "the form has expired (missing or wrong CSRF token); reload the page and "
                    "try again",
                    page=page,
                )
                return
        if (
            session is not None
            and user.must_change_password
            and page
            and method in SAFE_METHODS
            and not scope["path"].startswith("/app/account")
        ):
            await _redirect(scope, receive, send, "/app/account?first=1")
            return
        await self.app(scope, receive, send)


async def _check_csrf(request: Request, receive: Receive, expected: str) -> tuple[bool, Receive]:
    """Compare the header, or the form field of a url-encoded form, with the session's token.
    Returns a `receive` that replays the body when it had to be read."""
    given = request.headers.get(CSRF_HEADER)
    if given is None and request.headers.get("content-type", "").startswith(
        "application/x-www-form-urlencoded"
    ):
        body, messages = b"", []
        while True:
            message = await receive()
            messages.append(message)
            body += message.get("body", b"")
            if len(body) > MAX_FORM_BYTES or not message.get("more_body"):
                break
        fields = parse_qs(body.decode("latin-1"), keep_blank_values=True)
        given = (fields.get(CSRF_FIELD) or [None])[0]

        async def replay() -> Message:
            return messages.pop(0) if messages else await receive()

        receive = replay
    ok = given is not None and hmac.compare_digest(given.encode(), expected.encode())
    return ok, receive


async def _redirect(scope: Scope, receive: Receive, send: Send, location: str) -> None:
    from starlette.responses import RedirectResponse

    await RedirectResponse(location, status_code=303)(scope, receive, send)


async def _deny(
    scope: Scope, receive: Receive, send: Send, code: int, detail: str, *, page: bool
) -> None:
    from starlette.responses import HTMLResponse, Response

    if page:
        from html import escape

        title = "Please sign in" if code == 401 else "Not allowed"
        body = (
            f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title>"
            "<meta name='viewport' content='width=device-width, initial-scale=1'>"
            "<link rel='stylesheet' href='/static/app.css'></head><body><main class='narrow'>"
            f"<h1>{title}</h1><p class='error'>{escape(detail)}</p>"
            "<p><a href='/app/'>Back to Liaison</a></p></main></body></html>"
        )
        response: Response = HTMLResponse(body, status_code=code)
    else:
        error = AuthError if code == 401 else Forbidden
        response = Response(
            json.dumps({"error": error.__name__, "detail": detail}),
            status_code=code,
            media_type="application/json",
            headers={"WWW-Authenticate": "Bearer"} if code == 401 else None,
        )
    await response(scope, receive, send)


# ---------------------------------------------------------------------- dependencies


def get_auth(request: Request) -> Auth:
    return request.app.state.auth


def current_user(request: Request) -> User:
    """The signed-in user (the middleware has already refused anonymous calls)."""
    user = request.scope.get("liaison.user")
    if user is None:
        raise AuthError("not signed in")
    return user


def current_session(request: Request) -> Session | None:
    """The browser session, or None for bearer-token calls."""
    return request.scope.get("liaison.session")


def require(role: Role) -> Callable[[Request], User]:
    """Dependency: the current user, who must hold at least `role`."""

    def check(request: Request) -> User:
        user = current_user(request)
        if not user.role.allows(role):
            raise Forbidden(f"your role ({user.role.value}) may not do this; it needs {role}")
        return user

    return check


AuthDep = Annotated[Auth, Depends(get_auth)]
CurrentUser = Annotated[User, Depends(current_user)]
CurrentSession = Annotated[Session | None, Depends(current_session)]


class Me(BaseModel):
    name: str
    role: Role
    must_change_password: bool


router = APIRouter(tags=["auth"])


@router.get("/me", response_model=Me, summary="Who am I (user name and role)")
def me(user: CurrentUser):
    return Me(name=user.name, role=user.role, must_change_password=user.must_change_password)


def announce_first_password(password: str) -> None:
    print(
        "\n  Liaison: first run — created user 'admin' with one-time password:\n\n"
        f"      {password}\n\n  Sign in at /login and choose a new password.\n",
        file=sys.stderr,
        flush=True,
    )


def install_security(
    app: FastAPI,
    *,
    auth: Auth | None = None,
    announce: Callable[[str], None] | None = announce_first_password,
) -> Auth:
    """Require sign-in on every route of `app` except the public ones (see RULES).

    Creates the first admin when there are no users (password from settings.admin_password,
    else a generated one-time password passed to `announce`, printed to stderr by default)."""
    liaison = app.state.liaison
    auth = auth or Auth(liaison.db, liaison.settings)
    app.state.auth = auth
    generated = auth.ensure_admin(liaison.settings.admin_password)
    if generated and announce:
        announce(generated)
    app.include_router(router, dependencies=[Depends(known_query)])
    app.add_middleware(SecurityMiddleware, fastapi_app=app, auth=auth)
    return auth
