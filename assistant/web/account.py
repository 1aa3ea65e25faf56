"""Sign in, sign out, and a user's own account: password and personal API tokens."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from assistant.api.contract import IdPath
from assistant.api.security import SESSION_COOKIE, AuthDep, CurrentSession, CurrentUser
from assistant.auth import TooManyAttempts, parse_lifetime
from assistant.errors import AuthError, InvalidInput
from assistant.web.common import back, render

router = APIRouter(include_in_schema=False)


def _safe_next(target: str | None) -> str:
    """Only same-site paths: never redirect to another host after signing in."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/app/"
    return target


@router.get("/", response_class=RedirectResponse)
def root() -> RedirectResponse:
    return RedirectResponse("/app/", status_code=303)


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str | None = None):
    if request.scope.get("liaison.user") is not None:
        return RedirectResponse(_safe_next(next), status_code=303)
    return render(request, "login.html", next=_safe_next(next), username="")


@router.post("/login", response_class=HTMLResponse)
def login(
    request: Request,
    auth: AuthDep,
    username: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/app/",
):
    ip = request.client.host if request.client else ""
    try:
        user = auth.authenticate(username, password, ip)
    except TooManyAttempts as exc:
        response = render(
            request, "login.html", 429, next=_safe_next(next), username=username, error=str(exc)
        )
        response.headers["Retry-After"] = str(exc.retry_after_s)
        return response
    except AuthError as exc:
        return render(
            request, "login.html", 401, next=_safe_next(next), username=username, error=str(exc)
        )
    secret, session = auth.start_session(user, ip)
    target = "/app/account?first=1" if user.must_change_password else _safe_next(next)
    redirect = RedirectResponse(target, status_code=303)
    redirect.set_cookie(
        SESSION_COOKIE,
        secret,
        max_age=auth.settings.session_days * 86400,
        httponly=True,
        samesite="lax",
        secure=auth.settings.secure_cookies,
        path="/",
    )
    return redirect


@router.post("/logout", response_class=RedirectResponse)
def logout(auth: AuthDep, session: CurrentSession):
    if session is not None:
        auth.end_session(session.key)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/app/account", response_class=HTMLResponse)
def account(request: Request, user: CurrentUser, auth: AuthDep, first: bool = False):
    return render(
        request,
        "account.html",
        tokens=auth.tokens(user.name),
        first=first,
        new_token=None,
        now_ts=auth.clock().timestamp(),
    )


@router.post("/app/account/password", response_class=RedirectResponse)
def change_password(
    user: CurrentUser,
    auth: AuthDep,
    session: CurrentSession,
    current: Annotated[str, Form()] = "",
    new: Annotated[str, Form()] = "",
    confirm: Annotated[str, Form()] = "",
):
    if new != confirm:
        return back("/app/account", error="the two new passwords differ")
    had_tokens = bool(auth.tokens(user.name))
    try:
        auth.change_password(user, current, new, keep_session=session.key if session else "")
    except InvalidInput as exc:
        return back("/app/account", error=str(exc))
    if had_tokens:
        return back("/app/account", ok="Password changed; your API tokens ended with the old one")
    return back("/app/", ok="Password changed")


@router.post("/app/account/tokens", response_class=HTMLResponse)
def new_token(
    request: Request,
    user: CurrentUser,
    auth: AuthDep,
    label: Annotated[str, Form()] = "",
    expires: Annotated[str, Form()] = "never",
):
    try:
        secret, _ = auth.create_token(user.name, label, parse_lifetime(expires))
    except InvalidInput as exc:
        return back("/app/account", error=str(exc))
    # Shown once on this response; never stored in clear and never put in a URL.
    return render(
        request,
        "account.html",
        tokens=auth.tokens(user.name),
        now_ts=auth.clock().timestamp(),
        first=False,
        new_token=secret,
        flash="New token created: copy it now, it is shown only once",
    )


@router.post("/app/account/tokens/{token_id}/revoke", response_class=RedirectResponse)
def revoke_token(token_id: IdPath, user: CurrentUser, auth: AuthDep):
    try:
        auth.revoke_token(token_id, owner=user.name)
    except InvalidInput as exc:
        return back("/app/account", error=str(exc))
    return back("/app/account", ok="Token revoked")
